// Renders LINE message objects (what the bot sends) as DOM. Text only ever goes in through textContent or
// attributes: bot and user text is never parsed as HTML. Anything unknown is shown with a label, never dropped.

/** Build an element; `props` are properties (className, textContent, dataset via data-*), children appended. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'style') Object.assign(node.style, v);
    else if (k.startsWith('data-') || k === 'role' || k.startsWith('aria-')) node.setAttribute(k, String(v));
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node[k] = v;
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/** Only schemes a tap can safely open; `javascript:` and friends are refused. */
export function safeHref(uri) {
  try {
    const u = new URL(String(uri));
    return ['http:', 'https:', 'tel:', 'mailto:', 'line:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/** An <img> that only loads http(s) and data/blob URLs. */
function img(url, props = {}) {
  const href = safeHref(url);
  const ok = href && /^https?:/.test(href);
  return el('img', { ...props, src: ok ? href : '', alt: props.alt ?? '', loading: 'lazy', referrerPolicy: 'no-referrer' });
}

function fallback(label, value) {
  return el(
    'div',
    { className: 'fallback', 'data-testid': 'fallback' },
    el('strong', { textContent: label }),
    value === undefined ? null : el('pre', { textContent: JSON.stringify(value, null, 2) }),
  );
}

function actionLabel(action) {
  if (!action || typeof action !== 'object') return '';
  return action.label ?? action.text ?? action.displayText ?? action.type ?? '';
}

function actionButton(action, onAction, className = 'action-button') {
  return el('button', {
    type: 'button',
    className,
    'data-testid': 'action-button',
    'data-action-type': action?.type ?? 'unknown',
    textContent: actionLabel(action),
    onclick: (e) => {
      e.stopPropagation();
      onAction(action);
    },
  });
}

/** Make a non-button element tappable with an action (Flex box/text/image, template defaultAction). */
function tappable(node, action, onAction) {
  if (!action) return node;
  node.classList.add('tappable');
  node.setAttribute('role', 'button');
  node.tabIndex = 0;
  node.dataset.actionType = action.type ?? 'unknown';
  node.addEventListener('click', (e) => {
    e.stopPropagation();
    onAction(action);
  });
  return node;
}

// ---------------------------------------------------------------------------------------------- messages

export function renderBotMessage(message, onAction) {
  const type = message?.type;
  switch (type) {
    case 'text':
    case 'textV2':
      return el('div', { className: 'bubble bot text', 'data-testid': 'bot-text', textContent: textOf(message) });
    case 'image':
      return el(
        'a',
        { className: 'bubble bot media', href: safeHref(message.originalContentUrl) ?? '#', target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'bot-image' },
        img(message.previewImageUrl ?? message.originalContentUrl, { alt: 'รูปภาพ image' }),
      );
    case 'video':
      return el('video', {
        className: 'bubble bot media',
        controls: true,
        preload: 'none',
        poster: safeHref(message.previewImageUrl) ?? '',
        src: safeHref(message.originalContentUrl) ?? '',
        'data-testid': 'bot-video',
      });
    case 'audio':
      return el('audio', { className: 'bubble bot', controls: true, preload: 'none', src: safeHref(message.originalContentUrl) ?? '', 'data-testid': 'bot-audio' });
    case 'location':
      return renderLocation(message, 'bot');
    case 'sticker':
      return renderSticker(message, 'bot');
    case 'template':
      return renderTemplate(message, onAction);
    case 'flex':
      return el('div', { className: 'flex-message', 'data-testid': 'bot-flex', title: message.altText ?? '' }, renderFlexContainer(message.contents, onAction));
    case 'imagemap':
      return el(
        'div',
        { className: 'bubble bot imagemap', 'data-testid': 'bot-imagemap' },
        el('small', { textContent: 'Imagemap' }),
        el('div', { textContent: message.altText ?? '' }),
        ...(message.actions ?? []).map((a) => actionButton(a.type === 'uri' ? { ...a, label: a.label ?? a.linkUri, uri: a.linkUri } : { ...a, label: a.label ?? a.text }, onAction)),
      );
    default:
      return el('div', { className: 'bubble bot' }, fallback(`ข้อความแบบ ${type} ยังแสดงไม่ได้ · unsupported message type "${type}"`, message));
  }
}

/** textV2 substitutes {name} placeholders with mentions and emoji; show them legibly. */
function textOf(message) {
  if (message.type !== 'textV2' || !message.substitution) return message.text ?? '';
  return String(message.text ?? '').replace(/\{([^{}]+)\}/g, (whole, key) => {
    const s = message.substitution[key];
    if (!s) return whole;
    if (s.type === 'mention') return s.mentionee?.type === 'all' ? '@All' : '@user';
    if (s.type === 'emoji') return '😀';
    return whole;
  });
}

export function renderLocation(m, who) {
  const lat = Number(m.latitude);
  const lng = Number(m.longitude);
  return el(
    'div',
    { className: `bubble ${who} location`, 'data-testid': `${who}-location` },
    el('div', { className: 'location-pin', textContent: '📍' }),
    el('div', {}, el('strong', { textContent: m.title ?? '' }), el('div', { textContent: m.address ?? '' }),
      el('a', {
        href: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`,
        target: '_blank',
        rel: 'noopener noreferrer',
        textContent: `${lat.toFixed(5)}, ${lng.toFixed(5)}`,
      })),
  );
}

export function renderSticker(m, who) {
  return el(
    'div',
    { className: `sticker ${who}`, 'data-testid': `${who}-sticker`, title: `sticker ${m.packageId}/${m.stickerId}` },
    el('span', { className: 'sticker-face', textContent: '🧸' }),
    el('small', { textContent: `สติกเกอร์ ${m.packageId}/${m.stickerId}` }),
  );
}

// ---------------------------------------------------------------------------------------------- templates

function renderTemplate(message, onAction) {
  const t = message.template ?? {};
  const wrap = (...c) => el('div', { className: 'template', 'data-testid': `bot-template-${t.type}`, title: message.altText ?? '' }, ...c);
  switch (t.type) {
    case 'buttons':
      return wrap(templateCard(t, onAction));
    case 'confirm':
      return wrap(
        el('div', { className: 'template-card confirm' },
          el('div', { className: 'template-text', textContent: t.text ?? '' }),
          el('div', { className: 'confirm-actions' }, (t.actions ?? []).map((a) => actionButton(a, onAction)))),
      );
    case 'carousel':
      return wrap(el('div', { className: 'carousel' }, (t.columns ?? []).map((c) => templateCard({ ...c, imageAspectRatio: t.imageAspectRatio }, onAction))));
    case 'image_carousel':
      return wrap(
        el('div', { className: 'carousel' }, (t.columns ?? []).map((c) =>
          el('div', { className: 'image-column' }, tappable(img(c.imageUrl), c.action, onAction), el('div', { className: 'image-label', textContent: actionLabel(c.action) })))),
      );
    default:
      return wrap(fallback(`เทมเพลตแบบ ${t.type} · unsupported template "${t.type}"`, t));
  }
}

function templateCard(t, onAction) {
  const card = el(
    'div',
    { className: 'template-card' },
    t.thumbnailImageUrl ? img(t.thumbnailImageUrl, { className: `thumb ${t.imageAspectRatio === 'square' ? 'square' : ''}`, style: { backgroundColor: t.imageBackgroundColor } }) : null,
    t.title ? el('div', { className: 'template-title', textContent: t.title }) : null,
    el('div', { className: 'template-text', textContent: t.text ?? '' }),
    el('div', { className: 'template-actions' }, (t.actions ?? []).map((a) => actionButton(a, onAction))),
  );
  return tappable(card, t.defaultAction, onAction);
}

// ---------------------------------------------------------------------------------------------- Flex

const TEXT_SIZE = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, '3xl': 35, '4xl': 48, '5xl': 74 };
const IMAGE_SIZE = { xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, '3xl': 180, '4xl': 200, '5xl': 220 };
const SPACE = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
const BUBBLE_WIDTH = { nano: 120, micro: 160, deca: 220, hecto: 241, kilo: 260, mega: 300, giga: 500 };

const px = (v, table) => (v === undefined ? undefined : v in table ? `${table[v]}px` : v);

export function renderFlexContainer(c, onAction) {
  if (c?.type === 'bubble') return renderBubble(c, onAction);
  if (c?.type === 'carousel') {
    return el('div', { className: 'carousel flex-carousel', 'data-testid': 'flex-carousel' }, (c.contents ?? []).map((b) => renderBubble(b, onAction)));
  }
  return fallback(`Flex container "${c?.type}"`, c);
}

function renderBubble(b, onAction) {
  const styles = b.styles ?? {};
  const block = (name) => {
    const content = b[name];
    if (!content) return null;
    const s = styles[name] ?? {};
    const node = el(
      'div',
      { className: `flex-block flex-${name}`, style: { backgroundColor: s.backgroundColor, borderTop: s.separator ? `1px solid ${s.separatorColor ?? '#e5e5e5'}` : undefined } },
      renderComponent(content, 'vertical', onAction),
    );
    return node;
  };
  const bubble = el(
    'div',
    {
      className: `flex-bubble size-${b.size ?? 'mega'}`,
      'data-testid': 'flex-bubble',
      dir: b.direction ?? 'ltr',
      style: { width: `${BUBBLE_WIDTH[b.size] ?? 300}px` },
    },
    block('header'),
    block('hero'),
    block('body'),
    block('footer'),
  );
  return tappable(bubble, b.action, onAction);
}

/** LINE's flex default: 1 in a horizontal box, 0 in a vertical one. */
function flexStyle(c, parentLayout) {
  const flex = c.flex ?? (parentLayout === 'vertical' ? 0 : 1);
  return flex > 0 ? `${flex} 1 0` : '0 0 auto';
}

function commonStyle(c, parentLayout) {
  const margin = px(c.margin, SPACE);
  const style = { flex: flexStyle(c, parentLayout) };
  if (margin) style[parentLayout === 'vertical' ? 'marginTop' : 'marginInlineStart'] = margin;
  if (c.position === 'absolute') style.position = 'absolute';
  for (const [k, css] of [['offsetTop', 'top'], ['offsetBottom', 'bottom'], ['offsetStart', 'insetInlineStart'], ['offsetEnd', 'insetInlineEnd']]) {
    if (c[k] !== undefined) {
      style[css] = px(c[k], SPACE);
      if (c.position !== 'absolute') style.position = 'relative';
    }
  }
  if (c.gravity && parentLayout !== 'vertical') style.alignSelf = { top: 'flex-start', bottom: 'flex-end', center: 'center' }[c.gravity];
  return style;
}

function renderComponent(c, parentLayout, onAction) {
  if (!c || typeof c !== 'object') return fallback('Flex component', c);
  switch (c.type) {
    case 'box':
      return renderBox(c, parentLayout, onAction);
    case 'text':
      return renderText(c, parentLayout, onAction);
    case 'image':
      return renderImage(c, parentLayout, onAction);
    case 'button':
      return renderButton(c, parentLayout, onAction);
    case 'separator':
      return el('div', {
        className: `flex-separator ${parentLayout === 'vertical' ? 'h' : 'v'}`,
        style: { ...commonStyle({ ...c, flex: 0 }, parentLayout), borderColor: c.color },
      });
    case 'spacer':
      return el('div', { className: 'flex-spacer', style: { flex: '0 0 auto', [parentLayout === 'vertical' ? 'height' : 'width']: px(c.size ?? 'md', SPACE) } });
    case 'filler':
      return el('div', { className: 'flex-filler', style: { flex: `${c.flex ?? 1} 1 0` } });
    case 'icon':
      return img(c.url, { className: 'flex-icon', style: { ...commonStyle({ ...c, flex: 0 }, parentLayout), height: px(c.size ?? 'md', TEXT_SIZE) } });
    case 'video':
      return el('div', { className: 'flex-video', style: commonStyle(c, parentLayout) }, el('small', { textContent: 'วิดีโอ video' }), c.altContent ? renderComponent(c.altContent, 'vertical', onAction) : null);
    default:
      return el('div', { className: 'flex-unknown', style: commonStyle(c, parentLayout) }, fallback(`Flex "${c.type}"`, c));
  }
}

function renderBox(c, parentLayout, onAction) {
  const layout = c.layout ?? 'vertical';
  const style = {
    ...commonStyle(c, parentLayout),
    display: 'flex',
    flexDirection: layout === 'vertical' ? 'column' : 'row',
    alignItems: layout === 'baseline' ? 'baseline' : { center: 'center', 'flex-start': 'flex-start', 'flex-end': 'flex-end' }[c.alignItems],
    justifyContent: c.justifyContent,
    gap: px(c.spacing, SPACE),
    backgroundColor: c.backgroundColor,
    borderColor: c.borderColor,
    borderStyle: c.borderWidth || c.borderColor ? 'solid' : undefined,
    borderWidth: c.borderWidth ? ({ none: '0', light: '0.5px', normal: '1px', medium: '2px', 'semi-bold': '3px', bold: '4px' }[c.borderWidth] ?? c.borderWidth) : c.borderColor ? '1px' : undefined,
    borderRadius: px(c.cornerRadius, { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 }),
    width: c.width,
    maxWidth: c.maxWidth,
    height: c.height,
    maxHeight: c.maxHeight,
    padding: px(c.paddingAll, SPACE),
    paddingTop: px(c.paddingTop, SPACE),
    paddingBottom: px(c.paddingBottom, SPACE),
    paddingInlineStart: px(c.paddingStart, SPACE),
    paddingInlineEnd: px(c.paddingEnd, SPACE),
  };
  if (c.background?.type === 'linearGradient') {
    const b = c.background;
    const stops = b.centerColor ? [b.startColor, `${b.centerColor} ${b.centerPosition ?? '50%'}`, b.endColor] : [b.startColor, b.endColor];
    style.backgroundImage = `linear-gradient(${b.angle ?? '0deg'}, ${stops.join(', ')})`;
  }
  const box = el(
    'div',
    { className: `flex-box ${layout}`, 'data-testid': 'flex-box', 'data-layout': layout, style },
    (c.contents ?? []).map((child) => renderComponent(child, layout, onAction)),
  );
  return tappable(box, c.action, onAction);
}

function renderText(c, parentLayout, onAction) {
  const style = {
    ...commonStyle(c, parentLayout),
    fontSize: px(c.size ?? 'md', TEXT_SIZE),
    fontWeight: c.weight === 'bold' ? '700' : undefined,
    fontStyle: c.style === 'italic' ? 'italic' : undefined,
    textDecoration: c.decoration && c.decoration !== 'none' ? c.decoration : undefined,
    color: c.color,
    textAlign: c.align,
    lineHeight: c.lineSpacing ? `calc(1.4em + ${c.lineSpacing})` : undefined,
  };
  const node = el('div', { className: `flex-text ${c.wrap ? 'wrap' : 'nowrap'}`, 'data-testid': 'flex-text', style });
  if (c.maxLines) {
    node.classList.add('clamped');
    node.style.webkitLineClamp = String(c.maxLines);
  }
  if (Array.isArray(c.contents) && c.contents.length > 0) {
    for (const s of c.contents) {
      node.append(
        el('span', {
          textContent: s.text ?? '',
          style: {
            fontSize: px(s.size, TEXT_SIZE),
            fontWeight: s.weight === 'bold' ? '700' : undefined,
            fontStyle: s.style === 'italic' ? 'italic' : undefined,
            textDecoration: s.decoration && s.decoration !== 'none' ? s.decoration : undefined,
            color: s.color,
          },
        }),
      );
    }
  } else {
    node.textContent = c.text ?? '';
  }
  return tappable(node, c.action, onAction);
}

function renderImage(c, parentLayout, onAction) {
  const size = c.size ?? 'md';
  const width = size === 'full' ? '100%' : px(size, IMAGE_SIZE);
  const [w, h] = String(c.aspectRatio ?? '1:1').split(':').map(Number);
  const image = img(c.url, {
    className: 'flex-image',
    'data-testid': 'flex-image',
    style: { width: '100%', aspectRatio: w && h ? `${w} / ${h}` : '1 / 1', objectFit: c.aspectMode === 'cover' ? 'cover' : 'contain', backgroundColor: c.backgroundColor },
  });
  const justify = { start: 'flex-start', end: 'flex-end', center: 'center' }[c.align ?? 'center'];
  const holder = el('div', { className: 'flex-image-holder', style: { ...commonStyle(c, parentLayout), display: 'flex', justifyContent: justify } },
    el('div', { style: { width, maxWidth: '100%' } }, image));
  return tappable(holder, c.action, onAction);
}

function renderButton(c, parentLayout, onAction) {
  const style = c.style ?? 'link';
  const button = actionButton(c.action, onAction, `flex-button ${style} ${c.height === 'sm' ? 'sm' : ''}`);
  button.dataset.testid = 'flex-button';
  Object.assign(button.style, commonStyle(c, parentLayout));
  if (c.color) {
    if (style === 'link') button.style.color = c.color;
    else button.style.backgroundColor = c.color;
  }
  return button;
}
