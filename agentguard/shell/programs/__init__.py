"""Program families with genuine logic, imported only when a line names one."""
