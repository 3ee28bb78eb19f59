// Janmat search page: reads the JSON API, renders results and counts, switches Hindi/English labels.
"use strict";
let messages = {};
const $ = (id) => document.getElementById(id);

async function loadMessages(lang) {
  const reply = await fetch(`/api/messages?lang=${lang}`);
  messages = await reply.json();
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-msg]").forEach((el) => { el.textContent = messages[el.dataset.msg] || el.textContent; });
  document.querySelectorAll("[data-msg-placeholder]").forEach((el) => { el.placeholder = messages[el.dataset.msgPlaceholder] || ""; });
  localStorage.setItem("janmat-lang", lang);
}

function params() {
  const p = new URLSearchParams();
  for (const name of ["q", "district", "scheme", "sentiment", "since", "until"]) {
    const value = $(name).value.trim();
    if (value) p.append(name, value);
  }
  return p;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function markHighlights(text) {
  return escapeHtml(text).replace(/«/g, "<mark>").replace(/»/g, "</mark>");
}

function renderHits(data) {
  $("total").textContent = (messages.total_results || "{total}").replace("{total}", data.total);
  $("hits").innerHTML = data.results.map(({ mention: m, highlights }) => {
    const label = m.sentiment ? m.sentiment.label : null;
    const districts = m.districts.map((d) => (d.state === "Haryana" ? d.name : `${d.state}:${d.name}`)).join(", ");
    const schemes = m.schemes.map((s) => s.name || s.id).join(", ");
    const when = m.published_at ? new Date(m.published_at).toLocaleString("en-IN", { timeZone: "Asia/Kolkata" }) : "";
    const snippet = highlights.length ? highlights.map(markHighlights).join(" … ") : escapeHtml(m.text.slice(0, 240));
    const title = escapeHtml(m.title || m.text.slice(0, 90));
    const link = m.url ? `<a href="${escapeHtml(m.url)}" rel="noopener">${title}</a>` : title;
    return `<li class="hit" data-id="${escapeHtml(m.id)}">${link}
      ${label ? `<span class="badge ${label}">${escapeHtml(messages[label] || label)}</span>` : ""}
      ${m.misinformation.flagged ? `<span class="badge misinfo">${escapeHtml(messages.misinformation || "misinformation")}</span>` : ""}
      <div class="meta">${escapeHtml(when)} · ${escapeHtml(m.source.name || m.source.domain || m.platform)}
      ${districts ? " · " + escapeHtml(districts) : ""}${schemes ? " · " + escapeHtml(schemes) : ""}</div>
      <p>${snippet}</p></li>`;
  }).join("");
}

function renderCounts(tableId, data) {
  $(tableId).innerHTML = data.counts.slice(0, 12)
    .map(([key, n]) => `<tr><td>${escapeHtml((data.labels || {})[key] || messages[key] || key)}</td><td class="n">${n}</td></tr>`).join("");
}

async function getJson(path) {
  const reply = await fetch(path);
  const body = await reply.json();
  if (!reply.ok) throw new Error(body.error || body.detail || reply.statusText);
  return body;
}

async function run(event) {
  if (event) event.preventDefault();
  const p = params();
  history.replaceState(null, "", `?${p}`);
  try {
    $("error").hidden = true;
    const [hits, bySentiment, byDistrict, byScheme] = await Promise.all([
      getJson(`/api/search?${p}&limit=50`),
      getJson(`/api/stats?by=sentiment&${p}`),
      getJson(`/api/stats?by=district&${p}`),
      getJson(`/api/stats?by=scheme&ui=${document.documentElement.lang}&${p}`),
    ]);
    renderHits(hits);
    renderCounts("by-sentiment", bySentiment);
    renderCounts("by-district", byDistrict);
    renderCounts("by-scheme", byScheme);
    document.body.dataset.ready = "yes";
  } catch (error) {
    $("error").textContent = error.message;
    $("error").hidden = false;
    document.body.dataset.ready = "error";
  }
}

document.querySelectorAll("[data-lang]").forEach((button) => button.addEventListener("click", async () => {
  await loadMessages(button.dataset.lang);
  await run();
}));
$("search").addEventListener("submit", run);
(async () => {
  const initial = new URLSearchParams(location.search);
  for (const [name, value] of initial) if ($(name)) $(name).value = value;
  await loadMessages(initial.get("lang") || localStorage.getItem("janmat-lang") || "hi");
  await run();
})();
