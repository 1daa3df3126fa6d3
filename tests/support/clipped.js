// Every place on the board where text is cut instead of shown whole or wrapped (tests/support/screen.py).
() => {
  const out = [];
  const board = document.querySelector('.pmkit-board, .pmkit-light');  // the board, or a light page
  if (!board) { return ['no board on the page']; }
  const canvas = document.createElement('canvas').getContext('2d');
  const textWidth = (text, el) => {
    const cs = getComputedStyle(el);
    canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    return canvas.measureText(text).width;
  };
  const shown = (el) => {
    if (el.closest('.pmkit-sr-only, .lm-mod-hidden')) { return false; }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) { return false; }
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden') { return false; }
    }
    return true;
  };
  const name = (el) => (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).slice(-2).join('.') : el.tagName.toLowerCase());
  const says = (el) => (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 50);
  const width = document.documentElement.clientWidth;
  for (const el of board.querySelectorAll('*')) {
    if (!shown(el)) { continue; }
    const cs = getComputedStyle(el);
    const tag = el.tagName;
    if (tag === 'SELECT') {
      if (el.multiple || el.size > 1) {
        const room = el.clientWidth - 8;
        for (const o of el.options) {
          // a title wider than the list must wrap: its option is then as many lines high
          const lines = Math.ceil(textWidth(o.text, o) / room);
          const line = parseFloat(getComputedStyle(o).fontSize) * 1.1;
          if (o.scrollWidth > el.clientWidth + 1 || (lines > 1 && o.getBoundingClientRect().height < lines * line)) {
            out.push(`list option cut: "${o.text.slice(0, 50)}" in ${name(el)}`);
          }
        }
      } else if (el.selectedIndex >= 0) {
        const text = el.options[el.selectedIndex].text;
        const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        if (textWidth(text, el) > room + 1) { out.push(`drop-down cut: "${text.slice(0, 50)}"`); }
      }
      continue;
    }
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'IMG' || tag === 'CANVAS' || tag === 'svg') { continue; }
    if (!el.textContent.trim()) { continue; }
    const r = el.getBoundingClientRect();
    if (r.right > width + 1) { out.push(`off the screen (right edge ${Math.round(r.right)} > ${width}): ${name(el)} "${says(el)}"`); }
    const hides = cs.overflowX === 'hidden' || cs.overflowX === 'clip';
    if (hides && el.scrollWidth > el.clientWidth + 1) {
      out.push(`cut (${el.scrollWidth} > ${el.clientWidth} px): ${name(el)} "${says(el)}"`);
    } else if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) {
      out.push(`ellipsis: ${name(el)} "${says(el)}"`);
    }
  }
  return [...new Set(out)];
}
