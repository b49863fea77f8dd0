// The sandbox page: columns, each one person in one chat. Everything shown comes from the
// sandbox's Bot API server over /live; everything done goes to it as a Telegram update.
"use strict";

const state = { people: [], bot: "", messages: new Map(), keyboards: new Map(), hidden: new Set(), panes: [] };
const DEFAULT_PANES = [
  { person: 1001, chat: 1001 },                  // John Smith, an owner, in his private chat
  { person: 2003, chat: -1001000000002 },        // Chen Gang, in the waterproofing contractor's group
  { person: 900001, chat: -1001000000099 },      // Grace, in the managers' chat
];

const key = (chat, id) => `${chat}:${id}`;
const person = (id) => state.people.find((p) => p.id === id);

async function post(path, body) {
  const options = body instanceof FormData
    ? { method: "POST", body }
    : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

// ---- panes -------------------------------------------------------------------------
function addPane(choice) {
  const pane = { person: choice.person, chat: choice.chat, element: null };
  const element = document.createElement("section");
  element.className = "pane";
  element.innerHTML = `
    <div class="who"><select class="person"></select><select class="chat"></select>
      <button class="close" title="close this column">✕</button></div>
    <div class="toast"></div>
    <div class="messages"></div>
    <div class="reply-keyboard"></div>
    <form class="compose">
      <input type="text" class="message-input" placeholder="Message" autocomplete="off">
      <button type="submit" class="send">Send</button>
      <label title="send photos from this computer (several at once make an album)">📷<input type="file" class="photo-input" accept="image/*" multiple></label>
      <button type="button" class="contact" title="share this person's own phone number">📞 Contact</button>
    </form>`;
  pane.element = element;
  document.getElementById("panes").appendChild(element);
  state.panes.push(pane);
  const personSelect = element.querySelector(".person");
  for (const role of ["owner", "engineer", "manager"]) {
    const group = document.createElement("optgroup");
    group.label = role + "s";
    for (const p of state.people.filter((p) => p.role === role)) group.appendChild(new Option(p.name, p.id));
    personSelect.appendChild(group);
  }
  personSelect.value = pane.person;
  personSelect.onchange = () => { pane.person = Number(personSelect.value); pane.chat = pane.person; fillChats(pane); draw(pane); };
  element.querySelector(".chat").onchange = (e) => { pane.chat = Number(e.target.value); draw(pane); };
  element.querySelector(".close").onclick = () => { element.remove(); state.panes.splice(state.panes.indexOf(pane), 1); };
  element.querySelector(".compose").onsubmit = (e) => { e.preventDefault(); say(pane); };
  element.querySelector(".photo-input").onchange = (e) => sendPhoto(pane, e.target);
  element.querySelector(".contact").onclick = () => shareContact(pane);
  fillChats(pane);
  draw(pane);
}

function fillChats(pane) {
  const select = pane.element.querySelector(".chat");
  select.innerHTML = "";
  for (const chat of person(pane.person).chats) select.appendChild(new Option(chat.title, chat.id));
  select.value = pane.chat;
}

function toast(pane, text) {
  const element = pane.element.querySelector(".toast");
  element.textContent = text || "";
  clearTimeout(pane.toastTimer);
  if (text) pane.toastTimer = setTimeout(() => { element.textContent = ""; }, 6000);
}

// ---- drawing -----------------------------------------------------------------------
function drawAll() { for (const pane of state.panes) draw(pane); }

function draw(pane) {
  const box = pane.element.querySelector(".messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const shown = [...state.messages.values()]
    .filter((m) => m.chat.id === pane.chat)
    .sort((a, b) => a.message_id - b.message_id);
  box.innerHTML = "";
  let album = null;
  for (const message of shown) {
    if (message.media_group_id && album && album.group === message.media_group_id) {
      addPhotos(album.element.querySelector(".photos"), message);
      continue;
    }
    const element = drawMessage(pane, message);
    album = message.media_group_id ? { group: message.media_group_id, element } : null;
    box.appendChild(element);
  }
  if (!shown.length) box.innerHTML = `<div class="empty">No messages yet.${pane.chat > 0 ? " Try /start." : ""}</div>`;
  if (atBottom || pane.drawn !== shown.length) box.scrollTop = box.scrollHeight;
  pane.drawn = shown.length;
  drawReplyKeyboard(pane);
}

function drawMessage(pane, message) {
  const element = document.createElement("div");
  const mine = message.from && message.from.id === pane.person;
  element.className = "message" + (mine ? " mine" : "");
  element.dataset.messageId = message.message_id;
  if (pane.chat < 0 && !mine && message.from) {
    const sender = document.createElement("div");
    sender.className = "sender";
    sender.textContent = message.from.is_bot ? `🤖 ${message.from.first_name}` : message.from.first_name;
    element.appendChild(sender);
  }
  if (message.photo) {
    const photos = document.createElement("div");
    photos.className = "photos";
    addPhotos(photos, message);
    element.appendChild(photos);
  }
  const body = document.createElement("div");
  body.className = "text";
  body.textContent = message.text || message.caption || describe(message);
  element.appendChild(body);
  if (message.reply_markup && message.reply_markup.inline_keyboard) {
    element.appendChild(drawInlineKeyboard(pane, message));
  }
  return element;
}

function describe(message) {
  if (message.contact) return `📞 ${message.contact.first_name} +${message.contact.phone_number.replace(/^\+/, "")}`;
  if (message.document) return `📄 ${message.document.file_name || "document"}`;
  return "";
}

function addPhotos(container, message) {
  if (!message.photo) return;
  const image = document.createElement("img");
  image.src = `/photo/${encodeURIComponent(message.photo[message.photo.length - 1].file_id)}`;
  image.alt = "photo";
  container.appendChild(image);
}

function drawInlineKeyboard(pane, message) {
  const keyboard = document.createElement("div");
  keyboard.className = "inline-keyboard";
  for (const row of message.reply_markup.inline_keyboard) {
    const line = document.createElement("div");
    line.className = "row";
    for (const button of row) {
      const element = document.createElement("button");
      element.className = "inline-button";
      element.textContent = button.text + (button.url ? " ↗" : "");
      element.onclick = () => (button.url ? openLink(pane, button.url) : press(pane, message, button.callback_data));
      line.appendChild(element);
    }
    keyboard.appendChild(line);
  }
  return keyboard;
}

function drawReplyKeyboard(pane) {
  const area = pane.element.querySelector(".reply-keyboard");
  area.innerHTML = "";
  const markup = state.keyboards.get(pane.chat);
  if (!markup || !markup.keyboard || state.hidden.has(pane.chat)) return;
  for (const row of markup.keyboard) {
    const line = document.createElement("div");
    line.className = "row";
    for (const button of row) {
      const element = document.createElement("button");
      element.className = "reply-button";
      element.textContent = button.text;
      element.onclick = async () => {
        if (markup.one_time_keyboard) { state.hidden.add(pane.chat); drawAll(); }
        if (button.request_contact) await shareContact(pane);
        else await act(pane, () => post("/say", { person: pane.person, chat: pane.chat, text: button.text }));
      };
      line.appendChild(element);
    }
    area.appendChild(line);
  }
}

// ---- doing -------------------------------------------------------------------------
async function act(pane, action) {
  try { return await action(); } catch (error) { toast(pane, error.message); }
}

async function say(pane) {
  const input = pane.element.querySelector(".message-input");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  await act(pane, () => post("/say", { person: pane.person, chat: pane.chat, text }));
}

async function sendPhoto(pane, input) {
  const form = new FormData();
  form.append("person", pane.person);
  form.append("chat", pane.chat);
  for (const file of input.files) form.append("photo", file);
  const caption = pane.element.querySelector(".message-input");
  if (caption.value.trim()) { form.append("caption", caption.value.trim()); caption.value = ""; }
  input.value = "";
  await act(pane, () => post("/send-photo", form));
}

async function shareContact(pane) {
  if (pane.chat !== pane.person) { toast(pane, "A contact is shared in the private chat with the bot."); return; }
  await act(pane, () => post("/share-contact", { person: pane.person }));
}

async function press(pane, message, data) {
  const answer = await act(pane, () => post("/press", { person: pane.person, chat: message.chat.id, message_id: message.message_id, data }));
  if (answer && answer.text) toast(pane, answer.text);
}

async function openLink(pane, url) {
  // a link to our own bot opens the private chat with /start and its parameter, as Telegram does
  const match = url.match(/^https:\/\/t\.me\/([^?]+)\?start=(.+)$/);
  if (!match || match[1] !== state.bot) { window.open(url, "_blank"); return; }
  pane.chat = pane.person;
  fillChats(pane);
  draw(pane);
  await act(pane, () => post("/say", { person: pane.person, chat: pane.person, text: `/start ${match[2]}` }));
}

async function moveClock(hours) {
  const result = await post("/clock", { hours });
  document.getElementById("clock").textContent = result.now;
}

// ---- live --------------------------------------------------------------------------
function apply(change) {
  if (change.kind === "message" || change.kind === "edited") {
    state.messages.set(key(change.message.chat.id, change.message.message_id), change.message);
  } else if (change.kind === "deleted") {
    state.messages.delete(key(change.chat, change.message_id));
  } else if (change.kind === "keyboard") {
    state.keyboards.set(change.chat, change.markup);
    state.hidden.delete(change.chat);
  } else if (change.kind === "clock") {
    document.getElementById("clock").textContent = change.now;
  }
}

function listen() {
  const socket = new WebSocket(`ws://${location.host}/live`);
  socket.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (data.kind === "snapshot") {
      state.messages.clear();
      for (const message of data.messages) apply({ kind: "message", message });
      for (const keyboard of data.keyboards) apply({ kind: "keyboard", ...keyboard });
      apply({ kind: "clock", now: data.now });
    } else {
      for (const change of data.changes) apply(change);
    }
    drawAll();
  };
  socket.onclose = () => setTimeout(listen, 1000);
}

async function start() {
  const world = await (await fetch("/world")).json();
  state.people = world.people;
  state.bot = world.bot;
  document.getElementById("clock").textContent = world.now;
  for (const choice of DEFAULT_PANES) addPane(choice);
  document.getElementById("clock-hour").onclick = () => moveClock(1);
  document.getElementById("clock-day").onclick = () => moveClock(24);
  document.getElementById("add-pane").onclick = () => addPane({ person: 1002, chat: 1002 });
  listen();
}

start();
