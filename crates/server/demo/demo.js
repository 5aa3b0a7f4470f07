// The vlocr demo page: sends an image to the public endpoint, exactly as any client does, and
// shows what came back. No framework, no build step, nothing loaded from elsewhere.
"use strict";

const ENDPOINT = "/v2/demo/ocr/vehicle-license";
const MAX_BYTES = 10 * 1024 * 1024;

// Field keys in Huawei's order, with the label printed on the card and its English name.
const FRONT_FIELDS = [
  ["number", "号牌号码", "Plate No."],
  ["vehicle_type", "车辆类型", "Vehicle Type"],
  ["name", "所有人", "Owner"],
  ["address", "住址", "Address"],
  ["use_character", "使用性质", "Use Character"],
  ["model", "品牌型号", "Model"],
  ["vin", "车辆识别代号", "VIN"],
  ["engine_no", "发动机号码", "Engine No."],
  ["register_date", "注册日期", "Register Date"],
  ["issue_date", "发证日期", "Issue Date"],
  ["issuing_authority", "发证机关", "Issuing Authority"],
];
const BACK_FIELDS = [
  ["number", "号牌号码", "Plate No."],
  ["file_no", "档案编号", "File No."],
  ["approved_passengers", "核定载人数", "Approved Passengers"],
  ["gross_mass", "总质量", "Gross Mass"],
  ["unladen_mass", "整备质量", "Unladen Mass"],
  ["approved_load", "核定载质量", "Approved Load"],
  ["dimension", "外廓尺寸", "Dimension"],
  ["traction_mass", "准牵引总质量", "Traction Mass"],
  ["remarks", "备注", "Remarks"],
  ["inspection_record", "检验记录", "Inspection Record"],
  ["code_number", "条码号", "Code Number"],
  ["energy_type", "能源类型", "Energy Type"],
];
// What an electronic license's main page shows beyond a paper one's.
const ELECTRONIC_FIELDS = [
  ["status", "状态", "Status"],
  ["inspection_record", "检验有效期至", "Inspection Valid Until"],
  ["mandatory_scrapping_date", "强制报废期止", "Mandatory Scrapping Date"],
  ["color", "车身颜色", "Body Color"],
  ["energy_type", "能源种类", "Energy Type"],
];
const PAGE_NAMES = { front: "主页 Main page", back: "副页 Back page" };
const ELECTRONIC = "电子行驶证 Electronic license · ";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

let chosen = null; // { file, url }
let lastJson = "";

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", Boolean(isError));
}

function choose(file) {
  if (!file) return;
  if (!file.type.startsWith("image/")) {
    setStatus(`不是图片 Not an image: ${file.name || file.type}`, true);
    return;
  }
  if (chosen) URL.revokeObjectURL(chosen.url);
  chosen = { file, url: URL.createObjectURL(file) };
  $("file-name").textContent = `${file.name || "pasted image"} · ${(file.size / 1024).toFixed(0)} KB`;
  $("picture").src = chosen.url;
  $("stage").hidden = false;
  $("legend").hidden = true;
  $("overlay").replaceChildren();
  $("tables").replaceChildren();
  $("timing").textContent = "";
  $("raw").hidden = true;
  $("send").disabled = false;
  setStatus(file.size > MAX_BYTES ? "图片超过 10 MB Image over 10 MB: the server will refuse it" : "");
}

function readAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function recognize() {
  if (!chosen) return;
  $("send").disabled = true;
  setStatus("识别中… Reading…");
  try {
    const body = {
      image: await readAsBase64(chosen.file),
      return_issuing_authority: $("issuing-authority").checked,
      return_text_location: $("text-location").checked,
      return_layout: $("layout").checked,
      return_confidence: $("confidence").checked,
      alarm: $("alarm").checked,
      return_quality_warnings: $("warnings").checked,
      recognize_electronic_license: $("electronic").checked,
    };
    const side = $("side").value;
    if (side) body.side = side;
    const headers = { "Content-Type": "application/json" };
    const token = $("token").value.trim();
    if (token) {
      headers["X-Auth-Token"] = token;
      sessionStorage.setItem("vlocr-token", token);
    }
    const started = performance.now();
    const response = await fetch(ENDPOINT, { method: "POST", headers, body: JSON.stringify(body) });
    const roundTrip = performance.now() - started;
    const text = await response.text();
    let reply;
    try {
      reply = JSON.parse(text);
    } catch {
      throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    showJson(reply);
    showTiming(response.headers.get("Server-Timing"), roundTrip, response.headers.get("X-Request-Id"));
    if (!response.ok) {
      showError(response.status, reply);
      return;
    }
    $("auth-message").textContent = "";
    showResult(reply.result || {});
    setStatus("完成 Done");
  } catch (error) {
    setStatus(`请求失败 Request failed: ${error.message}`, true);
  } finally {
    $("send").disabled = false;
  }
}

function showError(status, reply) {
  const code = reply.error_code || `HTTP ${status}`;
  const message = reply.error_msg || "";
  setStatus(`${code}: ${message}`, true);
  if (status === 401) {
    $("auth").hidden = false;
    $("auth-message").textContent = "需要令牌 This server needs a token";
    $("token").focus();
  }
}

function showJson(reply) {
  lastJson = JSON.stringify(reply, null, 2);
  $("json").textContent = lastJson;
  $("raw").hidden = false;
}

function showTiming(header, roundTrip, requestId) {
  const parts = [];
  for (const entry of (header || "").split(",")) {
    const match = entry.trim().match(/^([\w-]+);dur=([\d.]+)/);
    if (match) parts.push(`${match[1]} ${Number(match[2]).toFixed(0)} ms`);
  }
  const server = parts.length ? `服务器 Server: ${parts.join(" · ")}` : "";
  const total = `往返 Round trip: ${roundTrip.toFixed(0)} ms`;
  const id = requestId ? `request ${requestId}` : "";
  $("timing").textContent = [server, total, id].filter(Boolean).join("  |  ");
}

// Values whose confidence is under this are marked for a second look.
const UNSURE_BELOW = 0.9;

function table(caption, fields, values, page) {
  const element = document.createElement("table");
  element.dataset.page = page;
  const title = document.createElement("caption");
  title.textContent = caption;
  element.append(title);
  for (const [key, chinese, english] of fields) {
    if (!(key in values)) continue;
    const row = element.insertRow();
    row.dataset.field = key;
    const head = document.createElement("th");
    head.scope = "row";
    head.textContent = chinese;
    const small = document.createElement("span");
    small.className = "en";
    small.textContent = `${english} · ${key}`;
    head.append(small);
    const cell = row.insertCell();
    row.prepend(head);
    // `status` is a list of strings.
    const value = Array.isArray(values[key]) ? values[key].join("、") : values[key];
    cell.textContent = value === "" ? "—" : value;
    cell.classList.toggle("empty", value === "");
    const confidence = values.confidence && values.confidence[key];
    if (typeof confidence === "number") {
      const score = row.insertCell();
      score.className = "confidence";
      score.textContent = `${Math.round(confidence * 100)}%`;
      score.title = "置信度 confidence: the probability that this value is right";
      cell.classList.toggle("unsure", confidence < UNSURE_BELOW);
    }
  }
  return element;
}

function isBack(result) {
  return "file_no" in result && !("vin" in result);
}

function showResult(result) {
  const tables = $("tables");
  tables.replaceChildren();
  const drawn = [];
  // An electronic license's screen sent as both pages is answered as the page it shows.
  if ((result.front || result.back) && result.type !== "electronic") {
    if (result.front) {
      tables.append(table(PAGE_NAMES.front, FRONT_FIELDS, result.front, "front"));
      drawn.push(["front", result.front.text_location]);
    }
    if (result.back) {
      tables.append(table(PAGE_NAMES.back, BACK_FIELDS, result.back, "back"));
      drawn.push(["back", result.back.text_location]);
    }
  } else if (isBack(result)) {
    const caption = (result.type === "electronic" ? ELECTRONIC : "") + PAGE_NAMES.back;
    tables.append(table(caption, BACK_FIELDS, result, "back"));
    drawn.push(["back", result.text_location]);
  } else if (result.type === "electronic") {
    const fields = [...FRONT_FIELDS, ...ELECTRONIC_FIELDS];
    tables.append(table(ELECTRONIC + PAGE_NAMES.front, fields, result, "front"));
    drawn.push(["front", result.text_location]);
  } else {
    tables.append(table(PAGE_NAMES.front, FRONT_FIELDS, result, "front"));
    drawn.push(["front", result.text_location]);
  }
  draw(result.layout, drawn);
}

function polygon(points, className, scale) {
  const shape = document.createElementNS(SVG, "polygon");
  shape.setAttribute("points", points.map(([x, y]) => `${x},${y}`).join(" "));
  shape.setAttribute("class", className);
  shape.setAttribute("stroke-width", String(2 * scale));
  return shape;
}

function draw(layout, pages) {
  const picture = $("picture");
  const overlay = $("overlay");
  overlay.replaceChildren();
  const width = picture.naturalWidth;
  const height = picture.naturalHeight;
  if (!width || !height) return;
  overlay.setAttribute("viewBox", `0 0 ${width} ${height}`);
  // Strokes and labels keep about the same size on screen whatever the image's resolution.
  const scale = width / Math.max(picture.clientWidth, 1);
  if (layout) {
    for (const line of layout.lines || []) overlay.append(polygon(line.location, "line", scale * 0.75));
    for (const card of layout.cards || []) overlay.append(polygon(card.outline, "card", scale * 1.5));
  }
  const names = Object.fromEntries([...FRONT_FIELDS, ...BACK_FIELDS].map(([k, c]) => [k, c]));
  for (const [, locations] of pages) {
    for (const [key, points] of Object.entries(locations || {})) {
      overlay.append(polygon(points, "field", scale));
      const label = document.createElementNS(SVG, "text");
      const [x, y] = points[0];
      label.setAttribute("x", String(x));
      label.setAttribute("y", String(Math.max(y - 4 * scale, 12 * scale)));
      label.setAttribute("font-size", String(13 * scale));
      label.setAttribute("stroke-width", String(3 * scale));
      label.textContent = names[key] || key;
      overlay.append(label);
    }
  }
  $("legend").hidden = false;
}

async function copyJson() {
  try {
    await navigator.clipboard.writeText(lastJson);
    setStatus("已复制 Copied");
  } catch {
    // No clipboard API (an insecure origin): select the text for Ctrl-C instead.
    const range = document.createRange();
    range.selectNodeContents($("json"));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    setStatus("已选中，按 Ctrl-C 复制 Selected: press Ctrl-C");
  }
}

function init() {
  const drop = $("drop");
  $("file").addEventListener("change", (event) => choose(event.target.files[0]));
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (event) => {
      event.preventDefault();
      drop.classList.add("over");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    drop.addEventListener(name, () => drop.classList.remove("over"));
  }
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    choose(event.dataTransfer.files[0]);
  });
  document.addEventListener("paste", (event) => {
    const item = [...event.clipboardData.items].find((i) => i.type.startsWith("image/"));
    if (item) choose(item.getAsFile());
  });
  $("send").addEventListener("click", recognize);
  $("copy").addEventListener("click", (event) => {
    event.preventDefault();
    copyJson();
  });
  const token = sessionStorage.getItem("vlocr-token");
  if (token) {
    $("token").value = token;
    $("auth").hidden = false;
  }
  // Redraw at the new size when the window changes (strokes are scaled to the screen).
  window.addEventListener("resize", () => {
    const json = lastJson && JSON.parse(lastJson);
    if (json && json.result) showResult(json.result);
  });
}

document.addEventListener("DOMContentLoaded", init);
