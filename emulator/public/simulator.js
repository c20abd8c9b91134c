// The LINE simulator page: a person chats with the bot as one of several LINE users. Like the LINE platform, the
// page builds each webhook body itself and signs it (HMAC-SHA256 with the channel secret, WebCrypto); the emulator
// only mints identities (reply tokens, message ids, ULIDs), stores uploaded images, relays the exact signed bytes
// to the bot, and streams back what the bot sends each chat.
import { el, renderBotMessage, renderLocation, renderSticker, safeHref } from './render.js';

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const MUKDAHAN_HALL = { title: 'ศาลากลางจังหวัดมุกดาหาร', address: 'ถนนพิทักษ์พนมเขต ตำบลมุกดาหาร อำเภอเมืองมุกดาหาร มุกดาหาร 49000', latitude: 16.5453, longitude: 104.7235 };
const STICKER = { packageId: '446', stickerId: '1988', keywords: ['happy', 'yay'] };

const state = {
  config: null,
  /** userId -> { profile, pane, tab, quickReply: items|null, typing: element|null } */
  users: new Map(),
  current: null,
  hmacKey: null,
  /** One event stream for every user's chat (a browser keeps only six connections per host), and its position. */
  stream: null,
  lastSeq: 0,
};

// ------------------------------------------------------------------------------------------ platform calls

async function post(path, body, headers = { 'content-type': 'application/json' }) {
  const res = await fetch(path, { method: 'POST', headers, body: typeof body === 'string' || body instanceof Blob ? body : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `${path} answered ${res.status}`);
  return json;
}

/** base64(HMAC-SHA256(channelSecret, body)) over the UTF-8 bytes, exactly LINE's x-line-signature. */
async function sign(body) {
  if (!globalThis.crypto?.subtle) return null; // not a secure context: the relay signs instead, and says so
  if (!state.hmacKey) {
    const secret = new TextEncoder().encode(state.config.channelSecret);
    state.hmacKey = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  }
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', state.hmacKey, new TextEncoder().encode(body)));
  let bin = '';
  for (const b of mac) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * Build one webhook event for the user, sign the body and relay it. `make(ids)` returns the event's own part
 * (type, message/postback/follow); ids has the minted webhookEventId, timestamp, replyToken, messageId, quoteToken.
 */
async function sendEvent(user, { replyable = true, message = false }, make) {
  const ids = await post('/simulator/api/mint', { chatId: user.profile.userId, replyToken: replyable, message });
  const event = {
    mode: 'active',
    timestamp: ids.timestamp,
    webhookEventId: ids.webhookEventId,
    deliveryContext: { isRedelivery: false },
    source: { type: 'user', userId: user.profile.userId },
    ...(replyable ? { replyToken: ids.replyToken } : {}),
    ...make(ids),
  };
  const body = JSON.stringify({ destination: state.config.destination, events: [event] });
  const signature = await sign(body);
  try {
    const result = await post('/simulator/api/relay', { body, signature });
    showWebhookStatus(result.status, result.signedBy);
    return event;
  } catch (err) {
    showWebhookStatus(null, null, err.message);
    throw err;
  }
}

function showWebhookStatus(status, signedBy, error) {
  const badge = $('webhook-status');
  if (status === 200 && signedBy === 'page') {
    badge.hidden = true;
    return;
  }
  badge.hidden = false;
  badge.className = `webhook-status ${status === 200 ? 'info' : 'warn'}`;
  badge.textContent = error
    ? `webhook ไม่ตอบ · unreachable`
    : status !== 200
      ? `webhook HTTP ${status}`
      : 'ลงลายเซ็นโดย emulator (ไม่ใช่ secure context) · signed by the emulator';
  badge.title = error ?? '';
}

// ------------------------------------------------------------------------------------------ users and panes

function addUserToPage(profile) {
  if (state.users.has(profile.userId)) return state.users.get(profile.userId);
  const pane = el('section', { className: 'conversation', 'data-testid': 'conversation', 'data-user-id': profile.userId, hidden: true, 'aria-live': 'polite' });
  const tab = el('button', {
    type: 'button',
    className: 'user-tab',
    'data-testid': 'user-tab',
    'data-user-id': profile.userId,
    title: profile.userId,
    onclick: () => switchTo(profile.userId),
  }, el('span', { className: 'avatar', textContent: [...profile.displayName][0] ?? '?' }), el('span', { textContent: profile.displayName }), el('small', { textContent: profile.language ?? '' }));
  $('panes').append(pane);
  $('user-tabs').append(tab);
  const user = { profile, pane, tab, quickReply: null, typing: null };
  state.users.set(profile.userId, user);
  return user;
}

function switchTo(userId) {
  const user = state.users.get(userId);
  if (!user) return;
  state.current = user;
  for (const u of state.users.values()) {
    u.pane.hidden = u !== user;
    u.tab.classList.toggle('active', u === user);
    u.tab.setAttribute('aria-pressed', String(u === user));
  }
  $('empty-hint').hidden = true;
  document.body.dataset.currentUser = userId;
  renderQuickReplies();
  refreshRichMenu();
  scrollToEnd(user);
  $('message-input').focus();
}

/** (Re)open the stream for all users' chats, resuming after the last message already shown. */
function openStream() {
  state.stream?.close();
  if (state.users.size === 0) return;
  const query = new URLSearchParams([...state.users.keys()].map((id) => ['chatId', id]));
  query.set('after', String(state.lastSeq));
  const stream = new EventSource(`/simulator/api/stream?${query}`);
  stream.addEventListener('message', (e) => {
    const entry = JSON.parse(e.data);
    if (entry.seq <= state.lastSeq) return;
    state.lastSeq = entry.seq;
    const user = state.users.get(entry.chatId);
    if (user) receive(user, entry);
  });
  stream.addEventListener('loading', (e) => {
    const { chatId, seconds } = JSON.parse(e.data);
    const user = state.users.get(chatId);
    if (user) showTyping(user, seconds);
  });
  state.stream = stream;
}

// ------------------------------------------------------------------------------------------ showing messages

function timeLabel(at) {
  return new Date(at).toLocaleTimeString('th-TH', { hour: '2-digit', minute: '2-digit' });
}

function appendRow(user, who, content, at = Date.now(), extra = {}) {
  const row = el('div', { className: `row ${who}`, 'data-testid': `${who}-message`, ...extra },
    who === 'bot' ? el('span', { className: 'avatar bot-avatar', textContent: 'ศ', title: 'bot' }) : null,
    el('div', { className: 'content' }, content),
    el('time', { textContent: timeLabel(at) }));
  user.pane.append(row);
  scrollToEnd(user);
  return row;
}

function scrollToEnd(user) {
  if (user === state.current) requestAnimationFrame(() => { $('chat').scrollTop = $('chat').scrollHeight; });
}

function receive(user, entry) {
  hideTyping(user);
  const message = entry.message;
  const node = renderBotMessage(message, (action) => handleAction(user, action));
  const sender = message?.sender?.name ? el('small', { className: 'sender-name', textContent: message.sender.name }) : null;
  appendRow(user, 'bot', sender ? el('div', {}, sender, node) : node, entry.at, { 'data-via': entry.via });
  // LINE shows quick reply buttons only while their message is the last one in the chat.
  user.quickReply = Array.isArray(message?.quickReply?.items) ? message.quickReply.items : null;
  if (user === state.current) renderQuickReplies();
  if (user === state.current) refreshRichMenu();
}

function showTyping(user, seconds) {
  hideTyping(user);
  user.typing = appendRow(user, 'bot', el('div', { className: 'bubble bot typing', 'data-testid': 'typing', textContent: '•••' }));
  const typing = user.typing;
  setTimeout(() => { if (user.typing === typing) hideTyping(user); }, seconds * 1000);
}

function hideTyping(user) {
  user.typing?.remove();
  user.typing = null;
}

function userSaid(user, content) {
  user.quickReply = null;
  if (user === state.current) renderQuickReplies();
  return appendRow(user, 'user', content);
}

function renderQuickReplies() {
  const bar = $('quick-replies');
  bar.replaceChildren();
  const items = state.current?.quickReply;
  bar.hidden = !items || items.length === 0;
  if (bar.hidden) return;
  for (const item of items) {
    const action = item.action ?? {};
    bar.append(el('button', {
      type: 'button',
      className: 'chip',
      'data-testid': 'quick-reply',
      'data-action-type': action.type,
      onclick: () => {
        const user = state.current;
        user.quickReply = null; // a tapped quick reply disappears, as in LINE
        renderQuickReplies();
        handleAction(user, action);
      },
    }, item.imageUrl && safeHref(item.imageUrl) ? el('img', { src: safeHref(item.imageUrl), alt: '' }) : null, el('span', { textContent: action.label ?? '' })));
  }
}

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 2500);
}

// ------------------------------------------------------------------------------------------ what a user can send

async function sendText(user, text) {
  if (!text.trim()) return;
  userSaid(user, el('div', { className: 'bubble user text', 'data-testid': 'user-text', textContent: text }));
  await sendEvent(user, { message: true }, (ids) => ({
    type: 'message',
    message: { type: 'text', id: ids.messageId, quoteToken: ids.quoteToken, text },
  }));
}

async function sendPostback(user, data, { displayText, params } = {}) {
  if (displayText) userSaid(user, el('div', { className: 'bubble user text', 'data-testid': 'user-text', textContent: displayText }));
  else { user.quickReply = null; renderQuickReplies(); }
  await sendEvent(user, {}, () => ({ type: 'postback', postback: params ? { data, params } : { data } }));
}

async function sendLocation(user, loc) {
  userSaid(user, renderLocation(loc, 'user'));
  await sendEvent(user, { message: true }, (ids) => ({
    type: 'message',
    message: { type: 'location', id: ids.messageId, title: loc.title, address: loc.address, latitude: loc.latitude, longitude: loc.longitude },
  }));
}

async function sendImage(user, file) {
  const preview = el('img', { className: 'bubble user media', 'data-testid': 'user-image', src: URL.createObjectURL(file), alt: file.name });
  userSaid(user, preview);
  const { messageId } = await post('/simulator/api/content', file, { 'content-type': file.type || 'application/octet-stream' });
  await sendEvent(user, { message: true }, (ids) => ({
    type: 'message',
    message: { type: 'image', id: messageId, quoteToken: ids.quoteToken, contentProvider: { type: 'line' } },
  }));
}

async function sendSticker(user) {
  userSaid(user, renderSticker(STICKER, 'user'));
  await sendEvent(user, { message: true }, (ids) => ({
    type: 'message',
    message: { type: 'sticker', id: ids.messageId, quoteToken: ids.quoteToken, stickerResourceType: 'STATIC', ...STICKER },
  }));
}

async function sendFollow(user) {
  appendRow(user, 'system', el('div', { className: 'system-note', textContent: 'เพิ่มบอทเป็นเพื่อนแล้ว · added the bot as a friend' }));
  await sendEvent(user, {}, () => ({ type: 'follow', follow: { isUnblocked: false } }));
}

/** What tapping an action does in LINE. */
async function handleAction(user, action) {
  try {
    switch (action?.type) {
      case 'message':
        return await sendText(user, action.text ?? action.label ?? '');
      case 'postback':
        if (action.fillInText) $('message-input').value = action.fillInText;
        return await sendPostback(user, action.data ?? '', { displayText: action.displayText ?? action.text });
      case 'datetimepicker':
        return pickDatetime(user, action);
      case 'uri': {
        const href = safeHref(action.uri);
        if (href) window.open(href, '_blank', 'noopener,noreferrer');
        else toast(`เปิดลิงก์นี้ไม่ได้ · cannot open ${action.uri}`);
        return;
      }
      case 'location':
        return openLocationForm();
      case 'camera':
      case 'cameraRoll':
        return $('image-input').click();
      case 'clipboard':
        await navigator.clipboard?.writeText(action.clipboardText ?? '').catch(() => {});
        return toast('คัดลอกแล้ว · copied');
      case 'richmenuswitch':
        return await sendPostback(user, action.data ?? '', { params: { newRichMenuAliasId: action.richMenuAliasId, status: 'SUCCESS' } });
      default:
        return toast(`การกระทำ ${action?.type} ยังไม่รองรับ · action "${action?.type}" not supported`);
    }
  } catch (err) {
    toast(err.message);
  }
}

function pickDatetime(user, action) {
  const mode = action.mode ?? 'datetime';
  const dialog = $('datetime-dialog');
  const input = $('datetime-input');
  input.type = mode === 'datetime' ? 'datetime-local' : mode;
  input.value = action.initial ?? '';
  input.min = action.min ?? '';
  input.max = action.max ?? '';
  $('datetime-label').textContent = action.label ?? { date: 'เลือกวันที่ · Pick a date', time: 'เลือกเวลา · Pick a time', datetime: 'เลือกวันและเวลา · Pick date and time' }[mode];
  dialog.onclose = () => {
    if (dialog.returnValue !== 'ok' || !input.value) return;
    // LINE's formats: date "2017-12-25", time "01:00", datetime "2017-12-25T01:00".
    void sendPostback(user, action.data ?? '', { params: { [mode]: input.value.slice(0, mode === 'datetime' ? 16 : mode === 'time' ? 5 : 10) } }).catch((e) => toast(e.message));
  };
  dialog.returnValue = '';
  dialog.showModal();
}

function openLocationForm() {
  const dialog = $('location-dialog');
  dialog.returnValue = '';
  dialog.showModal();
}

// ------------------------------------------------------------------------------------------ rich menu

async function refreshRichMenu() {
  const user = state.current;
  const box = $('rich-menu');
  if (!user) return;
  const menu = await fetch(`/simulator/api/richmenu?userId=${encodeURIComponent(user.profile.userId)}`).then((r) => r.json()).catch(() => ({}));
  if (!menu.richMenuId || !menu.imageUrl) {
    box.hidden = true;
    return;
  }
  if (box.dataset.richMenuId === menu.richMenuId) return void (box.hidden = false);
  box.dataset.richMenuId = menu.richMenuId;
  box.hidden = false;
  const toggle = $('rich-menu-toggle');
  const image = $('rich-menu-image');
  toggle.textContent = `${menu.chatBarText ?? 'Menu'} ▾`;
  image.hidden = !menu.selected;
  toggle.onclick = () => { image.hidden = !image.hidden; };
  const { width, height } = menu.size;
  image.replaceChildren(el('img', { src: menu.imageUrl, alt: menu.name ?? '' }));
  image.style.aspectRatio = `${width} / ${height}`;
  for (const area of menu.areas ?? []) {
    const b = area.bounds;
    image.append(el('button', {
      type: 'button',
      className: 'rich-menu-area',
      'data-testid': 'rich-menu-area',
      title: area.action?.label ?? area.action?.data ?? '',
      style: { left: `${(b.x / width) * 100}%`, top: `${(b.y / height) * 100}%`, width: `${(b.width / width) * 100}%`, height: `${(b.height / height) * 100}%` },
      onclick: () => handleAction(state.current, area.action),
    }));
  }
}

// ------------------------------------------------------------------------------------------ wiring

function requireUser() {
  if (!state.current) {
    toast('สร้างผู้ใช้ก่อน · create a user first');
    $('new-user').open = true;
    return null;
  }
  return state.current;
}

function wire() {
  $('new-user-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target;
    const displayName = form.displayName.value.trim();
    if (!displayName) return;
    try {
      const profile = await post('/simulator/api/users', { displayName, language: form.language.value });
      addUserToPage(profile);
      openStream();
      switchTo(profile.userId);
      form.reset();
      $('new-user').open = false;
    } catch (err) {
      toast(err.message);
    }
  });

  const input = $('message-input');
  const submit = async () => {
    const user = requireUser();
    if (!user) return;
    const text = input.value;
    input.value = '';
    autoGrow();
    await sendText(user, text).catch((err) => toast(err.message));
  };
  // Enter sends; Shift+Enter is a new line; and never while an IME (Thai, Japanese...) is still composing.
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      void submit();
    }
  });
  const autoGrow = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  };
  input.addEventListener('input', autoGrow);
  $('message-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });

  $('open-location').addEventListener('click', () => requireUser() && openLocationForm());
  $('location-preset').addEventListener('click', () => {
    $('location-title').value = MUKDAHAN_HALL.title;
    $('location-address').value = MUKDAHAN_HALL.address;
    $('location-latitude').value = String(MUKDAHAN_HALL.latitude);
    $('location-longitude').value = String(MUKDAHAN_HALL.longitude);
  });
  $('location-dialog').addEventListener('close', () => {
    const dialog = $('location-dialog');
    const user = state.current;
    if (dialog.returnValue !== 'send' || !user) return;
    const loc = {
      title: $('location-title').value.trim() || 'ตำแหน่งที่ปักหมุด',
      address: $('location-address').value.trim(),
      latitude: Number($('location-latitude').value),
      longitude: Number($('location-longitude').value),
    };
    void sendLocation(user, loc).catch((err) => toast(err.message));
  });

  $('image-input').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    const user = requireUser();
    if (file && user) void sendImage(user, file).catch((err) => toast(err.message));
  });
  $('send-sticker').addEventListener('click', () => {
    const user = requireUser();
    if (user) void sendSticker(user).catch((err) => toast(err.message));
  });
  $('send-follow').addEventListener('click', () => {
    const user = requireUser();
    if (user) void sendFollow(user).catch((err) => toast(err.message));
  });
}

async function main() {
  wire();
  state.config = await fetch('/simulator/api/config').then((r) => r.json());
  for (const profile of state.config.users) addUserToPage(profile);
  openStream();
  const first = state.config.users[0];
  if (first) switchTo(first.userId);
  else $('new-user').open = true;
  if (!state.config.webhookUrl) showWebhookStatus(null, null, 'no webhook URL configured');
  document.body.dataset.ready = 'true';
}

main().catch((err) => toast(`เริ่มไม่ได้ · failed to start: ${err.message}`));
