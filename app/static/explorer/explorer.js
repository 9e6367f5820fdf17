// The explorer: a page built only on the public API (search, profile, timeline, network).
// Plain JavaScript, no libraries: the network is drawn with SVG and a small force layout.

const SVG = "http://www.w3.org/2000/svg";
const PATHS = { organization: "organizations", person: "people", place: "places", event: "events" };
const EDGE_COLOURS = { ally: "var(--ally)", opponent: "var(--opponent)" };
const NODE_COLOURS = { organization: "#1f5fa8", person: "#8e44ad", place: "#c27c0e", event: "#2b8a7e" };

// ---- small helpers -------------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(child);
  return element;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || problem.title || `HTTP ${response.status}`);
  }
  return response.json();
}

function debounce(action, wait) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => action(...args), wait);
  };
}

const isArabic = (name) => name.script === "Arab" || (name.language || "").startsWith("ar");
const yearOf = (day) => (day ? Number(day.slice(0, 4)) + (Number(day.slice(5, 7)) - 1) / 12 : null);

function spanText(span) {
  if (!span) return "";
  if (span.text) return span.text;
  const start = span.start || "?";
  if (span.end === null || span.end === undefined) return start;
  return `${start} – ${span.end === ".." ? "" : span.end}`;
}

// ---- footnotes -----------------------------------------------------------------------------

class Footnotes {
  constructor() {
    this.numbers = new Map(); // what a citation says (source, reference, page, quote) -> number
    this.citations = [];
  }

  // Numbered footnote buttons for a fact's citations.
  marks(citations) {
    return (citations || []).map((citation) => {
      const key = [citation.source.id, citation.reference_number, citation.locator, citation.quote].join("|");
      if (!this.numbers.has(key)) {
        this.citations.push(citation);
        this.numbers.set(key, this.citations.length);
      }
      const number = this.numbers.get(key);
      return h("sup", {}, h("button", {
        class: "fn", type: "button", "aria-haspopup": "dialog", "data-note": number,
        "aria-label": `Note ${number}: ${citation.source.title}`,
        onclick: () => this.open(number),
      }, `[${number}]`));
    });
  }

  open(number) {
    const citation = this.citations[number - 1];
    document.getElementById("footnote-title").textContent = `Note ${number}`;
    document.getElementById("footnote-body").replaceChildren(describeCitation(citation));
    const dialog = document.getElementById("footnote");
    dialog.showModal();
    dialog.querySelector(".close").focus();
  }

  list() {
    return h("ol", { class: "notes" }, this.citations.map((citation) =>
      h("li", {}, citation.source.title, citation.reference_number ? ` (ref. ${citation.reference_number})` : "")));
  }
}

function describeCitation(citation) {
  const source = citation.source;
  const rows = [
    ["Translated title", source.translated_title],
    ["Publisher", source.publisher],
    ["Published", source.published || source.published_date],
    ["Archived", source.archived_date],
    ["Retrieved", source.retrieved_date],
    ["Reference", citation.reference_number ? `no. ${citation.reference_number} in the article` : "the article itself"],
    ["Page", citation.locator],
    ["Licence", source.license],
  ].filter(([, value]) => value);
  const title = source.url
    ? h("a", { href: source.url, rel: "noreferrer" }, source.title)
    : source.title;
  return h("div", { class: "citation" },
    h("div", { class: "title" }, title),
    h("dl", {}, rows.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)])),
    source.archive_url ? h("a", { href: source.archive_url, rel: "noreferrer" }, "Archived copy") : null,
    citation.quote ? h("blockquote", {}, citation.quote) : null);
}

// ---- search with suggestions ---------------------------------------------------------------

function setUpSearch() {
  const input = document.getElementById("search");
  const list = document.getElementById("suggestions");
  let hits = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const choose = (hit) => {
    close();
    input.value = hit.entity.name;
    location.hash = `#/${PATHS[hit.entity.kind]}/${hit.entity.slug}`;
  };
  const highlight = (index) => {
    active = index;
    [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) input.setAttribute("aria-activedescendant", `suggestion-${index}`);
  };
  const suggest = debounce(async () => {
    const query = input.value.trim();
    if (!query) return close();
    const page = await api(`/search?q=${encodeURIComponent(query)}&limit=8`).catch(() => ({ items: [] }));
    if (input.value.trim() !== query) return; // the user typed on
    hits = page.items;
    list.replaceChildren(...hits.map((hit, index) => h("li", {
      id: `suggestion-${index}`, role: "option", "aria-selected": "false",
      onmousedown: (event) => { event.preventDefault(); choose(hit); },
    },
    h("span", {}, hit.entity.name),
    hit.matched.name !== hit.entity.name
      ? h("span", { class: "via", dir: isArabic(hit.matched) ? "rtl" : null, lang: hit.matched.language }, hit.matched.name)
      : null,
    h("span", { class: "kind" }, hit.entity.kind))));
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(hits.length > 0));
    highlight(hits.length ? 0 : -1);
  }, 150);

  input.addEventListener("input", suggest);
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && hits.length) { event.preventDefault(); highlight((active + 1) % hits.length); list.hidden = false; }
    else if (event.key === "ArrowUp" && hits.length) { event.preventDefault(); highlight((active - 1 + hits.length) % hits.length); }
    else if (event.key === "Enter" && active >= 0 && !list.hidden) { event.preventDefault(); choose(hits[active]); }
    else if (event.key === "Escape") close();
  });
}

// ---- the entity page -----------------------------------------------------------------------

async function showEntity(kindPath, slug) {
  const article = document.getElementById("entity");
  document.getElementById("welcome").hidden = true;
  article.hidden = false;
  article.replaceChildren(h("p", {}, "Loading…"));
  let profile;
  try {
    profile = await api(`/${kindPath}/${encodeURIComponent(slug)}`);
  } catch (error) {
    article.replaceChildren(h("p", { role: "alert" }, `Could not load it: ${error.message}`));
    return;
  }
  const notes = new Footnotes();
  document.title = `${profile.name} — Explorer`;
  const sections = [
    h("h1", {}, profile.name, notes.marks(profile.citations)),
    h("div", { class: "kind-tag" }, [profile.kind, profile.organization_type].filter(Boolean).join(" · ")),
    profile.description ? h("p", {}, profile.description) : null,
    h("div", { class: "grid" },
      namesSection(profile, notes),
      h("div", {}, periodsSection(profile, notes), attributesSection(profile, notes))),
    relationshipsSection(profile, notes),
    eventsSection(profile, notes),
    h("h2", {}, "Network"),
    networkPanel(profile),
    h("h2", {}, "Timeline"),
    h("div", { class: "panel", id: "timeline" }, "Loading…"),
  ];
  article.replaceChildren(...sections.filter(Boolean));
  await Promise.all([drawTimeline(kindPath, profile, notes), loadNetwork(kindPath, profile, null)]);
  article.append(h("h2", {}, "Notes"), notes.list());
  document.getElementById("main").focus({ preventScroll: true });
}

function namesSection(profile, notes) {
  return h("section", {}, h("h2", {}, "Names"), h("ul", { class: "facts", id: "names" },
    (profile.names || []).map((name) => h("li", {},
      h("span", { lang: name.language || null, dir: isArabic(name) ? "rtl" : null }, name.name),
      " ", h("span", { class: "when" }, name.kind), notes.marks(name.citations)))));
}

function periodsSection(profile, notes) {
  if (!profile.periods || !profile.periods.length) return null;
  return h("section", {}, h("h2", {}, "Operating periods"), h("ul", { class: "facts" },
    profile.periods.map((period) => h("li", {}, spanText(period.period),
      period.label ? ` (${period.label})` : "", notes.marks(period.citations)))));
}

function attributesSection(profile, notes) {
  if (!profile.attributes || !profile.attributes.length) return null;
  return h("section", {}, h("h2", {}, "Attributes"), h("ul", { class: "facts" },
    profile.attributes.map((attribute) => h("li", {}, h("strong", {}, attribute.name), ": ",
      attribute.value, attribute.period ? h("span", { class: "when" }, ` (${spanText(attribute.period)})`) : "",
      notes.marks(attribute.citations)))));
}

function relationshipsSection(profile, notes) {
  const groups = new Map();
  for (const link of profile.relationships || []) {
    const key = link.type;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(link);
  }
  if (!groups.size) return null;
  return h("section", { id: "relationships" }, h("h2", {}, "Relationships"),
    [...groups.entries()].map(([type, links]) => h("div", { "data-type": type },
      h("h3", {}, type.replaceAll("_", " ")),
      h("ul", { class: "facts" }, links.map((link) => h("li", {},
        link.direction === "incoming" ? "← " : "→ ",
        h("a", { href: `#/${PATHS[link.other.kind]}/${link.other.slug}` }, link.other.name),
        link.role ? ` (${link.role})` : "", " ",
        link.status !== "asserted" ? h("span", { class: `status ${link.status}` }, link.status) : null,
        link.period ? h("span", { class: "when" }, ` ${spanText(link.period)}`) : null,
        notes.marks(link.citations)))))));
}

function eventsSection(profile, notes) {
  if (!profile.events || !profile.events.length) return null;
  return h("section", {}, h("h2", {}, "Events"), h("ul", { class: "facts" },
    profile.events.map((event) => h("li", {},
      h("a", { href: `#/events/${event.slug}` }, event.name),
      event.date ? h("span", { class: "when" }, ` ${spanText(event.date)}`) : null,
      event.place ? ` — ${event.place.name}` : "",
      notes.marks(event.citations)))));
}

// ---- timeline ------------------------------------------------------------------------------

async function drawTimeline(kindPath, profile, notes) {
  const panel = document.getElementById("timeline");
  const timeline = await api(`/${kindPath}/${profile.slug}/timeline`).catch(() => null);
  if (!timeline || !timeline.moments.length) {
    panel.replaceChildren("No dated events or relationships.");
    return;
  }
  const moments = timeline.moments;
  const first = Math.floor(Math.min(...moments.map((m) => yearOf(m.date.lower))));
  const last = Math.ceil(Math.max(...moments.map((m) => yearOf(m.date.upper) + 1 / 12)));
  const width = 900, left = 10, right = 300, row = 18, top = 24;
  const x = (year) => left + ((year - first) / Math.max(1, last - first)) * (width - left - right);
  const svg = s("svg", { id: "timeline-svg", viewBox: `0 0 ${width} ${top + row * moments.length + 6}`, role: "img", "aria-label": "Timeline" });
  for (let year = first; year <= last; year += 1) {
    svg.append(s("line", { x1: x(year), x2: x(year), y1: 14, y2: top + row * moments.length, stroke: "#e3e7eb" }),
      s("text", { x: x(year) + 2, y: 11, fill: "#5b6673" }, String(year)));
  }
  moments.forEach((moment, index) => {
    const y = top + index * row + row / 2;
    const start = x(yearOf(moment.date.lower));
    const end = x(yearOf(moment.date.upper) + 1 / 365);
    const colour = EDGE_COLOURS[moment.relationship_type] || NODE_COLOURS[moment.event ? "event" : "organization"];
    const mark = end - start > 3
      ? s("rect", { class: "range", x: start, y: y - 5, width: end - start, height: 10, rx: 3, fill: colour })
      : s("circle", { cx: start, cy: y, r: 5, fill: colour });
    mark.append(s("title", {}, `${moment.title}: ${moment.date.text || moment.date.edtf}`));
    svg.append(mark, s("text", { x: Math.max(start, end) + 6, y: y + 4 }, moment.title));
  });
  const list = h("ol", { class: "facts", "aria-label": "Timeline as a list" }, moments.map((moment) =>
    h("li", {}, h("span", { class: "when" }, `${moment.date.text || moment.date.edtf} `), moment.title,
      notes.marks(moment.citations))));
  panel.replaceChildren(svg, h("details", {}, h("summary", {}, "As a list"), list));
}

// ---- network -------------------------------------------------------------------------------

function networkPanel(profile) {
  const thisYear = new Date().getFullYear();
  const slider = h("input", {
    type: "range", id: "as-of", min: 2000, max: thisYear + 1, step: 1, value: thisYear + 1,
    "aria-describedby": "as-of-label",
  });
  const label = h("output", { id: "as-of-label", for: "as-of" }, "All time");
  const redraw = debounce(() => {
    const year = Number(slider.value);
    const asOf = year > thisYear ? null : year;
    label.textContent = asOf ? `As of ${asOf}` : "All time";
    loadNetwork(PATHS[profile.kind], profile, asOf);
  }, 200);
  slider.addEventListener("input", redraw);
  const zoom = (factor) => () => document.getElementById("network-svg")?.zoomBy?.(factor);
  return h("div", { class: "panel", id: "network" },
    h("div", { class: "toolbar" },
      h("label", { for: "as-of" }, "Date"), slider, label,
      h("button", { type: "button", onclick: zoom(1 / 1.25), "aria-label": "Zoom in" }, "+"),
      h("button", { type: "button", onclick: zoom(1.25), "aria-label": "Zoom out" }, "−"),
      h("button", { type: "button", onclick: zoom(0), "aria-label": "Reset view" }, "Reset")),
    s("svg", { id: "network-svg", role: "group", "aria-label": "Network of relationships" }),
    h("div", { class: "legend" },
      h("span", { style: "--c: var(--ally)" }, "ally"),
      h("span", { style: "--c: var(--opponent)" }, "opponent"),
      h("span", { style: "--c: var(--other)" }, "other (dashed: denied or disputed)")));
}

async function loadNetwork(kindPath, profile, asOf) {
  const svg = document.getElementById("network-svg");
  const query = asOf ? `?depth=1&as_of=${asOf}` : "?depth=1";
  const network = await api(`/${kindPath}/${profile.slug}/network${query}`).catch(() => null);
  if (!network || svg !== document.getElementById("network-svg")) return;
  svg.dataset.asOf = asOf ?? "";
  drawNetwork(svg, network);
}

function layout(nodes, edges) {
  // A few hundred steps of a plain force layout: springs along edges, repulsion between nodes.
  const count = nodes.length;
  nodes.forEach((node, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, count);
    node.x = node.depth === 0 ? 0 : Math.cos(angle) * 200;
    node.y = node.depth === 0 ? 0 : Math.sin(angle) * 200;
  });
  const index = new Map(nodes.map((node) => [node.id, node]));
  for (let step = 0; step < 300; step += 1) {
    const heat = 1 - step / 300;
    for (const a of nodes) {
      a.dx = 0; a.dy = 0;
      for (const b of nodes) {
        if (a === b) continue;
        const dx = a.x - b.x, dy = a.y - b.y;
        const distance2 = Math.max(dx * dx + dy * dy, 1);
        a.dx += (dx / distance2) * 2500;
        a.dy += (dy / distance2) * 2500;
      }
    }
    for (const edge of edges) {
      const a = index.get(edge.source), b = index.get(edge.target);
      if (!a || !b) continue;
      const dx = b.x - a.x, dy = b.y - a.y;
      const distance = Math.max(Math.hypot(dx, dy), 1);
      const pull = (distance - 140) * 0.02;
      a.dx += (dx / distance) * pull * 10; a.dy += (dy / distance) * pull * 10;
      b.dx -= (dx / distance) * pull * 10; b.dy -= (dy / distance) * pull * 10;
    }
    for (const node of nodes) {
      if (node.depth === 0) continue;
      node.x += Math.max(-20, Math.min(20, node.dx)) * heat;
      node.y += Math.max(-20, Math.min(20, node.dy)) * heat;
    }
  }
  // Fit the drawing to a 1000 × 420 box (the panel's shape), so that labels stay legible.
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const minX = Math.min(...xs), minY = Math.min(...ys);
  const spanX = Math.max(...xs) - minX || 1, spanY = Math.max(...ys) - minY || 1;
  for (const node of nodes) {
    node.x = ((node.x - minX) / spanX) * 1000 - 500;
    node.y = ((node.y - minY) / spanY) * 420 - 210;
  }
}

function drawNetwork(svg, network) {
  const nodes = network.elements.nodes.map((n) => ({ ...n.data }));
  const edges = network.elements.edges.map((e) => ({ ...e.data }));
  layout(nodes, edges);
  const index = new Map(nodes.map((node) => [node.id, node]));
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const pad = 60;
  const home = [Math.min(...xs) - pad, Math.min(...ys) - pad,
    Math.max(...xs) - Math.min(...xs) + 2 * pad, Math.max(...ys) - Math.min(...ys) + 2 * pad];
  let view = [...home];
  const apply = () => svg.setAttribute("viewBox", view.join(" "));
  apply();
  svg.replaceChildren();
  const group = s("g");
  for (const edge of edges) {
    const a = index.get(edge.source), b = index.get(edge.target);
    if (!a || !b) continue;
    const line = s("line", {
      class: `edge ${edge.status}`, x1: a.x, y1: a.y, x2: b.x, y2: b.y,
      stroke: EDGE_COLOURS[edge.type] || "var(--other)", "data-type": edge.type,
    });
    line.append(s("title", {}, `${a.label} — ${edge.type} (${edge.status}) → ${b.label}`));
    group.append(line);
  }
  for (const node of nodes) {
    const radius = node.depth === 0 ? 13 : 8;
    const item = s("g", {
      class: "node", tabindex: "0", role: "link", transform: `translate(${node.x} ${node.y})`,
      "data-slug": node.slug, "data-kind": node.kind, "aria-label": `${node.label} (${node.kind})`,
    },
    s("circle", { r: radius, fill: NODE_COLOURS[node.kind] || "#777" }),
    s("text", { x: radius + 3, y: 4 }, node.label));
    const open = () => { location.hash = `#/${PATHS[node.kind]}/${node.slug}`; };
    item.addEventListener("click", open);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); } });
    group.append(item);
  }
  svg.append(group);
  if (network.limits.truncated) {
    svg.append(s("text", { x: view[0] + 10, y: view[1] + 20, fill: "#c62828" }, "Cut short: too many nodes"));
  }

  // Pan by dragging, zoom with the wheel or with the toolbar's buttons (svg.zoomBy).
  let drag = null;
  svg.onpointerdown = (event) => {
    if (event.target.closest(".node")) return;
    drag = { x: event.clientX, y: event.clientY, view: [...view] };
    svg.setPointerCapture(event.pointerId);
  };
  svg.onpointermove = (event) => {
    if (!drag) return;
    const scale = view[2] / svg.clientWidth;
    view = [drag.view[0] - (event.clientX - drag.x) * scale, drag.view[1] - (event.clientY - drag.y) * scale, view[2], view[3]];
    apply();
  };
  svg.onpointerup = () => { drag = null; };
  const zoomBy = (factor) => {
    if (factor === 0) { view = [...home]; apply(); return; }
    const cx = view[0] + view[2] / 2, cy = view[1] + view[3] / 2;
    view = [cx - (view[2] * factor) / 2, cy - (view[3] * factor) / 2, view[2] * factor, view[3] * factor];
    apply();
  };
  svg.onwheel = (event) => { event.preventDefault(); zoomBy(event.deltaY > 0 ? 1.15 : 1 / 1.15); };
  svg.zoomBy = zoomBy;
}

// ---- routing -------------------------------------------------------------------------------

function route() {
  const match = location.hash.match(/^#\/(organizations|people|places|events)\/([^/?#]+)/);
  if (match) {
    showEntity(match[1], decodeURIComponent(match[2]));
  } else {
    document.getElementById("entity").hidden = true;
    document.getElementById("welcome").hidden = false;
  }
}

setUpSearch();
window.addEventListener("hashchange", route);
route();
