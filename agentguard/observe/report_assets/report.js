"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const MARKED = new Set(["ask", "deny", "escalated", "blocked", "failed", "passed"]);
  const state = { agent: "", kind: "", rule: "", selected: null };

  function el(tag, attrs, text) {
    const node = tag.startsWith("svg:")
      ? document.createElementNS(SVG, tag.slice(4))
      : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function short(text, n) { return text.length <= n ? text : text.slice(0, n - 1) + "\u2026"; }
  function visible(call) {
    if (state.agent && call.agent !== state.agent) return false;
    if (state.kind && call.kind !== state.kind) return false;
    if (state.rule && !call.rules.includes(state.rule)) return false;
    return true;
  }

  function meta() {
    const n = data.calls.length;
    const first = n ? data.calls[0].ts : "", last = n ? data.calls[n - 1].ts : "";
    document.getElementById("meta").textContent =
      `${n} calls by ${data.agents.length} agents` + (n ? `, ${first} to ${last}` : "") +
      `. agentguard ${data.version}, generated ${data.generated}.`;
    for (const [id, values] of [["f-agent", data.agents], ["f-rule", data.rules]]) {
      const select = document.getElementById(id);
      for (const v of values) select.appendChild(el("option", { value: v }, v));
    }
  }

  function timeline() {
    const box = document.getElementById("timeline");
    box.textContent = "";
    if (!data.calls.length) { box.appendChild(el("p", { class: "hint" }, "No calls in this log.")); return; }
    const label = 210, width = Math.max(640, box.clientWidth || 900), lane = 30, top = 22;
    const t0 = data.calls[0].t, t1 = Math.max(data.calls[data.calls.length - 1].t, t0 + 1);
    const x = (t) => label + ((t - t0) / (t1 - t0)) * (width - label - 16);
    const svg = el("svg:svg", { width, height: top + lane * data.lanes.length + 8, role: "img",
      "aria-label": "timeline of calls per session" });
    for (let k = 0; k <= 4; k++) {
      const t = t0 + ((t1 - t0) * k) / 4;
      const anchor = k === 0 ? "start" : k === 4 ? "end" : "middle";
      svg.appendChild(el("svg:text", { x: x(t), y: 12, "text-anchor": anchor },
        new Date(t).toISOString().slice(11, 19)));
    }
    const row = new Map();
    data.lanes.forEach((l, n) => {
      row.set(l.id, n);
      const y = top + n * lane;
      const g = el("svg:g", { class: "lane", "data-agent": l.agent });
      g.appendChild(el("svg:rect", { class: "lane-bg", x: label, y, width: width - label - 8, height: lane - 4 }));
      const name = l.sub ? `${l.agent} \u203a ${l.agent_type || "subagent"}` : l.agent;
      g.appendChild(el("svg:text", { x: 4, y: y + 12 }, short(name, 30)));
      g.appendChild(el("svg:text", { x: 4, y: y + 24, fill: "#5b6670" }, short(l.sub || l.session, 32)));
      svg.appendChild(g);
    });
    let shown = 0;
    for (const call of data.calls) {
      const y = top + row.get(call.lane) * lane + (lane - 4) / 2;
      const cx = x(call.t);
      const show = visible(call);
      if (MARKED.has(call.kind)) {
        const dot = el("svg:circle", { class: `marker k-${call.kind}` + (show ? "" : " hidden"),
          cx, cy: y, r: call.kind === "failed" || call.kind === "passed" ? 4.5 : 6.5,
          "data-i": call.i, "data-kind": call.kind, tabindex: 0 });
        dot.appendChild(el("svg:title", {}, `${call.kind}: ${call.tool} ${short(call.subject, 80)}`));
        dot.addEventListener("click", () => select(call.i));
        dot.addEventListener("keydown", (e) => { if (e.key === "Enter") select(call.i); });
        svg.appendChild(dot);
        if (show && ["ask", "deny", "escalated", "blocked"].includes(call.kind)) shown++;
      } else if (show && !state.kind) {
        svg.appendChild(el("svg:line", { class: "tick", x1: cx, x2: cx, y1: y - 6, y2: y + 6 }));
      }
    }
    box.appendChild(svg);
    document.getElementById("shown").textContent = `${shown} asks, denies, escalations and Stop blocks shown`;
    const legend = document.getElementById("legend");
    legend.textContent = "";
    for (const k of ["ask", "deny", "escalated", "blocked", "failed", "passed", "call"]) {
      const s = el("span");
      s.appendChild(el("i", { class: `k-${k}`, style: `background: var(--${k})` }));
      s.appendChild(document.createTextNode(k === "blocked" ? "Stop blocked" : k === "passed" ? "Stop passed" : k));
      legend.appendChild(s);
    }
    if (state.selected !== null) mark(state.selected);
  }

  function mark(i) {
    for (const m of document.querySelectorAll(".marker.selected")) m.classList.remove("selected");
    const m = document.querySelector(`.marker[data-i="${i}"]`);
    if (m) m.classList.add("selected");
  }

  function select(i) {
    state.selected = i;
    mark(i);
    const c = data.calls[i];
    const panel = document.getElementById("detail");
    panel.textContent = "";
    panel.appendChild(el("h3", {}, `${c.kind}${c.observed ? " (observe mode: not enforced)" : ""}`));
    const dl = el("dl");
    const answer = c.answer ? `${c.answer}${c.decided_by ? ` (decided by ${c.decided_by})` : ""}`
      : c.kind === "ask" ? "no answer recorded" : "";
    const rows = [["time", c.ts], ["agent", c.agent], ["session", c.session],
      ["subagent", c.sub ? `${c.agent_type} ${c.sub}` : ""], ["event", c.event], ["tool", c.tool],
      ["what", c.subject], ["rules", c.rules.join(", ")], ["reason", c.reason],
      ["human", answer], ["signature", c.signature], ["count", c.count ?? ""],
      ["error", c.error_line],
      ["checks", Object.entries(c.checks).map(([k, v]) => `${k}: ${v}`).join(", ")]];
    for (const [k, v] of rows) {
      if (v === "" || v === null) continue;
      dl.appendChild(el("dt", {}, k));
      dl.appendChild(el("dd", { "data-field": k }, String(v)));
    }
    panel.appendChild(dl);
    for (const m of c.matches) {
      const box = el("div", { class: "match" });
      box.appendChild(el("strong", {}, `${m.rule}: ${m.decision}`));
      for (const k of ["justification", "what", "fix"]) if (m[k]) box.appendChild(el("p", {}, `${k}: ${m[k]}`));
      panel.appendChild(box);
    }
  }

  function plots() {
    const box = document.getElementById("plots");
    box.textContent = "";
    const calls = data.calls.filter(visible);
    if (!calls.length) { box.appendChild(el("p", { class: "hint" }, "No calls match the filters.")); return; }
    const bins = 40, t0 = data.calls[0].t, t1 = Math.max(data.calls[data.calls.length - 1].t, t0 + 1);
    const agents = state.agent ? [state.agent] : data.agents;
    const width = 640, height = 64;
    for (const agent of agents) {
      const counts = Array.from({ length: bins }, () => ({ call: 0, ask: 0, deny: 0 }));
      for (const c of calls) {
        if (c.agent !== agent) continue;
        const b = Math.min(bins - 1, Math.floor(((c.t - t0) / (t1 - t0)) * bins));
        counts[b][c.kind === "ask" || c.kind === "deny" ? c.kind : "call"]++;
      }
      const peak = Math.max(1, ...counts.map((c) => c.call + c.ask + c.deny));
      const svg = el("svg:svg", { width: width + 120, height: height + 16, class: "plot",
        "data-agent": agent, role: "img", "aria-label": `calls over time for ${agent}` });
      svg.appendChild(el("svg:text", { x: 0, y: 14 }, short(agent, 16)));
      const w = width / bins;
      counts.forEach((c, n) => {
        let y = height;
        for (const k of ["call", "ask", "deny"]) {
          if (!c[k]) continue;
          const h = (c[k] / peak) * (height - 8);
          y -= h;
          svg.appendChild(el("svg:rect", { x: 120 + n * w, y, width: Math.max(1, w - 1), height: h, class: `k-${k}` }));
        }
      });
      svg.appendChild(el("svg:text", { x: 120 + width - 2, y: 10, "text-anchor": "end" }, `peak ${peak} calls`));
      box.appendChild(svg);
    }
  }

  function table(id, rows) {
    const body = document.querySelector(`#${id} tbody`);
    body.textContent = "";
    for (const cells of rows) {
      const tr = el("tr");
      for (const cell of cells) tr.appendChild(el("td", typeof cell === "number" ? { class: "num" } : {}, String(cell)));
      body.appendChild(tr);
    }
    if (!rows.length) {
      const tr = el("tr");
      tr.appendChild(el("td", { colspan: 9, class: "hint" }, "none"));
      body.appendChild(tr);
    }
  }

  function tables() {
    const mine = (agent) => !state.agent || agent === state.agent;
    table("loops", data.loops.filter((e) => mine(e.agent)).map((e) =>
      [e.signature, e.kind, e.agent, e.count, short(e.subject, 80), e.ended]));
    table("stops", data.stops.filter((s) => mine(s.agent)).map((s) =>
      [s.session, s.agent, s.blocks.length,
       s.blocks.length ? s.blocks[s.blocks.length - 1].waiting.join(", ") : "",
       s.ended || "still blocked", s.last_check ? `${s.last_check} at ${s.last_check_ts}` : ""]));
    table("totals", Object.entries(data.totals).filter(([a]) => mine(a)).map(([a, r]) =>
      [a, r.calls, r.allow, r.ask, r.deny, r.failures, r.loops, r.stop_blocks, r.escalations]));
  }

  function draw() { timeline(); plots(); tables(); }
  for (const [id, key] of [["f-agent", "agent"], ["f-kind", "kind"], ["f-rule", "rule"]]) {
    document.getElementById(id).addEventListener("change", (e) => { state[key] = e.target.value; draw(); });
  }
  meta();
  draw();
  window.agentguardReport = { data, select };
})();
