// SPDX-License-Identifier: GPL-2.0-or-later
// The HTML report's player (view_report.c embeds this file): step through a run's narrated
// events and see, at each step, the RECs, the realms, the RMM's granule states and the GPT,
// with the current row of the sequence diagram highlighted. Everything comes from the
// events written into the page (script#run-data); nothing is fetched.
(function () {
  'use strict';
  const run = JSON.parse(document.getElementById('run-data').textContent);
  const events = run.events;
  const steps = []; // indexes of the narrated events: what the player steps through
  events.forEach(function (e, i) { if (e.text) { steps.push(i); } });
  const $ = function (id) { return document.getElementById(id); };
  const slider = $('slider');
  slider.max = String(Math.max(steps.length - 1, 0));
  let at = 0;

  function name(pa) { return run.names[pa] || pa; }
  function recKey(e) { return (e.realm || 'realm') + '.rec' + e.rec; }

  // The state after events[0..last], replayed from the start (runs are small).
  function stateAt(last) {
    const s = {recs: {}, realms: {}, granules: {}, gpt: {}};
    function rec(e) {
      const k = recKey(e);
      if (!s.recs[k]) { s.recs[k] = {name: k, runnable: '?', pending: '', exit: '', call: ''}; }
      return s.recs[k];
    }
    for (let i = 0; i <= last && i < events.length; i++) {
      const e = events[i].e;
      switch (e.type) {
        case 'rec_state': {
          const r = rec(e);
          r.runnable = e.runnable ? 'RUNNABLE' : 'NOT_RUNNABLE';
          r.pending = e.pending ? 'PSCI request pending' : '';
          break;
        }
        case 'rec_exit': {
          const g = e.gprs || [];
          rec(e).exit = e.reason + ' (X0..X3 = ' + g.slice(0, 4).join(', ') + ')';
          break;
        }
        case 'psci': case 'rsi':
          rec(e).call = e.call + (e.result !== undefined ? ' returned ' + e.result : '');
          break;
        case 'rec_enter':
          rec(e);
          break;
        case 'realm_state':
          s.realms[e.realm || 'realm'] = e.state;
          break;
        case 'gpt':
          s.gpt[e.pa] = e.to;
          break;
        case 'rmi':
          if (e.granules) {
            e.granules.split(' ').forEach(function (c) {
              const kv = c.split('=');
              if (kv.length === 2) { s.granules[kv[0]] = kv[1]; }
            });
          }
          break;
        default:
          break;
      }
    }
    return s;
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) { td.className = cls; }
    tr.appendChild(td);
  }

  function table(id, head, rows) {
    const t = $(id);
    t.textContent = '';
    const h = document.createElement('tr');
    head.forEach(function (x) { const th = document.createElement('th'); th.textContent = x; h.appendChild(th); });
    t.appendChild(h);
    rows.forEach(function (r) {
      const tr = document.createElement('tr');
      r.forEach(function (x, i) { cell(tr, x, i === 1 ? 'state ' + String(x).toLowerCase() : ''); });
      t.appendChild(tr);
    });
    if (!rows.length) {
      const tr = document.createElement('tr');
      cell(tr, 'none yet', 'none');
      t.appendChild(tr);
    }
  }

  function byAddress(map) {
    return Object.keys(map).sort(function (a, b) {
      return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  // Scrolls `box` (not the page) so that `el` is in view, if it is not.
  function reveal(box, el) {
    if (!box || !el.getBoundingClientRect) { return; }
    const b = box.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) {
      box.scrollTop += r.top - b.top - (b.height - r.height) / 2;
    }
    if (r.left < b.left || r.right > b.right) {
      box.scrollLeft += r.left - b.left - 20;
    }
  }

  // The diagram's rows are in event order: the current one is the last that starts at or
  // before the event (a fold stands for every event of its range).
  function highlight(seq) {
    let best = null;
    document.querySelectorAll('#sequence-diagram g.row').forEach(function (g) {
      g.classList.remove('current');
      if (Number(g.getAttribute('data-seq')) <= seq) { best = g; }
    });
    if (best) {
      best.classList.add('current');
      reveal($('diagram'), best);
    }
  }

  function show(k) {
    at = Math.max(0, Math.min(k, steps.length - 1));
    const i = steps[at], ev = events[i];
    const s = stateAt(i);
    slider.value = String(at);
    $('position').textContent = 'step ' + (at + 1) + ' of ' + steps.length + ' (event ' + ev.e.seq + ')';
    $('current-text').textContent = ev.text;
    $('current-why').textContent = ev.why ? 'why: ' + ev.why : '';
    table('panel-recs-table', ['REC', 'state', 'request', 'last exit', 'last call'],
          Object.keys(s.recs).sort().map(function (k) {
            const r = s.recs[k];
            return [r.name, r.runnable, r.pending || '-', r.exit || '-', r.call || '-'];
          }));
    table('panel-realms-table', ['realm', 'state'],
          Object.keys(s.realms).sort().map(function (k) { return [k, s.realms[k]]; }));
    table('panel-granules-table', ['granule', 'state'],
          byAddress(s.granules).map(function (pa) { return [name(pa), s.granules[pa]]; }));
    table('panel-gpt-table', ['granule', 'GPI'],
          byAddress(s.gpt).map(function (pa) { return [name(pa), s.gpt[pa]]; }));
    document.querySelectorAll('#timeline li').forEach(function (li) {
      li.classList.toggle('current', Number(li.getAttribute('data-step')) === at);
    });
    const li = document.querySelector('#timeline li.current');
    if (li) { reveal($('timeline'), li); }
    highlight(ev.e.seq);
  }

  // The next (dir 1) or previous (-1) step whose event is a host call: a block of the flow.
  function nextCall(dir) {
    for (let k = at + dir; k >= 0 && k < steps.length; k += dir) {
      const e = events[steps[k]].e;
      if (e.type === 'smc' && e.world === 'NS') { return k; }
    }
    return at;
  }

  $('first').addEventListener('click', function () { show(0); });
  $('prev').addEventListener('click', function () { show(at - 1); });
  $('next').addEventListener('click', function () { show(at + 1); });
  $('last').addEventListener('click', function () { show(steps.length - 1); });
  slider.addEventListener('input', function () { show(Number(slider.value)); });
  document.querySelectorAll('#timeline li').forEach(function (li) {
    li.addEventListener('click', function () { show(Number(li.getAttribute('data-step'))); });
  });
  document.addEventListener('keydown', function (ev) {
    const keys = {
      ArrowRight: function () { return at + 1; }, ArrowLeft: function () { return at - 1; },
      ArrowDown: function () { return nextCall(1); }, ArrowUp: function () { return nextCall(-1); },
      PageDown: function () { return at + 10; }, PageUp: function () { return at - 10; },
      Home: function () { return 0; }, End: function () { return steps.length - 1; }
    };
    if (keys[ev.key] && ev.target !== slider) {
      ev.preventDefault();
      show(keys[ev.key]());
    }
  });
  show(0);
})();
