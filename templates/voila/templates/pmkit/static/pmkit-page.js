// pmkit's meeting page: roles, names and text alternatives that ipywidgets cannot set,
// given from the classes the board uses (pmkit/widgets/look.py). It only adds attributes;
// it never changes what the page shows.
//
//   .pmkit-banner    role=banner       .pmkit-main    role=main
//   .pmkit-status    role=status       .pmkit-region  role=region, named by its first heading
//   img.pmkit-chart  its title (the widget's tooltip) becomes its alt text
//   a control without a description: its title (the tooltip) becomes its aria-label
//   a slider's handle: named by the slider's description, its value as the readout says
//   a list box's options wrap (ipywidgets writes them with no-break spaces)
//   .pmkit-lead      the overview, when it scrolls on its own, gets a tab stop
//   #rendered_cells  the page, when it scrolls with nothing focusable in it, gets a tab stop
//   .pmkit-title     the page's title follows the session's title
(function () {
  'use strict';
  var ROLES = [['.pmkit-banner', 'banner'], ['.pmkit-main', 'main'], ['.pmkit-status', 'status']];
  var counter = 0, pending = false;

  function named(el) {
    var h = el.querySelector('h1, h2, h3');
    if (!h) { return; }
    if (!h.id) { h.id = 'pmkit-heading-' + (++counter); }
    if (el.getAttribute('aria-labelledby') !== h.id) { el.setAttribute('aria-labelledby', h.id); }
  }

  function apply() {
    pending = false;
    ROLES.forEach(function (r) {
      document.querySelectorAll(r[0] + ':not([role])').forEach(function (el) { el.setAttribute('role', r[1]); });
    });
    document.querySelectorAll('.pmkit-region').forEach(function (el) {
      if (!el.hasAttribute('role')) { el.setAttribute('role', 'region'); }
      named(el);
    });
    // a control without a visible description is named by its tooltip: as aria-label, which
    // every screen reader reads as the control's name (a title is only a hint)
    document.querySelectorAll('.pmkit-board :is(input, select, textarea)[title]').forEach(function (el) {
      el.setAttribute('aria-label', el.getAttribute('title'));
      el.removeAttribute('title');
    });
    // ipywidgets writes a list box's options with no-break spaces: ordinary spaces let a
    // long title wrap in the list instead of being cut at its edge
    document.querySelectorAll('.pmkit-board select[size] option, .pmkit-board select[multiple] option')
      .forEach(function (o) {
        if (o.text.indexOf('\u00a0') !== -1) { o.text = o.text.replace(/\u00a0+/g, ' '); }
      });
    // a slider's handle is named by the slider's description (or its tooltip), and says
    // its value as the readout shows it
    document.querySelectorAll('.pmkit-board .noUi-handle').forEach(function (handle) {
      var box = handle.closest('.widget-slider, .widget-inline-hbox');
      if (!box) { return; }
      var label = box.querySelector('.widget-label');
      var name = (label && (label.textContent.trim() || label.getAttribute('title'))) || box.getAttribute('title') || '';
      if (name && handle.getAttribute('aria-label') !== name) { handle.setAttribute('aria-label', name); }
      var readout = box.querySelector('.widget-readout');
      var text = readout ? (readout.value || readout.textContent || '').trim() : '';
      if (text && handle.getAttribute('aria-valuetext') !== text) { handle.setAttribute('aria-valuetext', text); }
    });
    document.querySelectorAll('img.pmkit-chart[title]').forEach(function (img) {
      img.setAttribute('alt', img.getAttribute('title'));
      img.removeAttribute('title');
    });
    document.querySelectorAll('.pmkit-lead').forEach(function (el) {
      var scrolls = el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).overflowY !== 'visible';
      if (scrolls && !el.hasAttribute('tabindex')) { el.setAttribute('tabindex', '0'); }
      if (!scrolls && el.getAttribute('tabindex') === '0') { el.removeAttribute('tabindex'); }
    });
    // the page's own scrolling box, when it scrolls and holds nothing the keyboard can
    // reach (the room's page has no control), gets a tab stop: the keyboard scrolls it too
    var page = document.getElementById('rendered_cells');
    if (page) {
      var overflows = page.scrollHeight > page.clientHeight + 1 || page.scrollWidth > page.clientWidth + 1;
      var reachable = page.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
      var wanted = overflows && !reachable;
      if (wanted && !page.hasAttribute('tabindex')) {
        page.setAttribute('tabindex', '0');
        page.setAttribute('aria-label', (window.PMKIT_WORDS && window.PMKIT_WORDS.page) || 'The page');
      }
      if (!wanted && page.getAttribute('tabindex') === '0') {
        page.removeAttribute('tabindex');
        page.removeAttribute('aria-label');
      }
    }
    // the document speaks the board's language (the board's root says which: pmkit-lang-de)
    var spoken = document.querySelector('[class*="pmkit-lang-"]');
    var lang = spoken && /pmkit-lang-([a-z]+)/.exec(spoken.className);
    if (lang && document.documentElement.lang !== lang[1]) { document.documentElement.lang = lang[1]; }
    // the browser tab shows the title for everyone, never the facilitator's working title:
    // a facilitator's window may be on the projector
    var title = document.querySelector('.pmkit-everyone-title b') || document.querySelector('.pmkit-title');
    if (title) {
      var wanted = title.textContent + ' · pmkit';
      if (document.title !== wanted) { document.title = wanted; }
    }
  }

  function soon() {
    if (!pending) { pending = true; window.requestAnimationFrame(apply); }
  }

  new MutationObserver(soon).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['title', 'class'], characterData: true
  });
  window.addEventListener('resize', soon);
})();
