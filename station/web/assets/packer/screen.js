// The packer screen: draws the station's view (GET /events, Server-Sent
// Events) and sends the packer's actions (POST /api/...). Plain ES2020, no
// framework, no build step: the daemon embeds this folder as it is.
//
// The station is the truth: the page keeps no packing state of its own. It
// renders every `view` event in full and only the live weight in between
// (`scale` events). Everything a test or a curious supervisor may want to
// look at is on window.packline (sounds played, the last view).
'use strict';

(() => {
  const CHECKS = ['customer', 'contents', 'express'];
  const DEVICE_KINDS = ['scanner', 'scale', 'label-printer', 'camera', 'indicator'];
  const DEVICE_ICONS = {
    scanner: 'i-scanner',
    scale: 'i-scale',
    'label-printer': 'i-printer',
    camera: 'i-camera',
    indicator: 'i-light',
  };
  const HEALTH_RANK = { present: 0, absent: 1, faulty: 2 };
  // What the banner shows for each verdict kind: icon and frame.
  const KIND_ICONS = {
    confirmed: 'i-check',
    accepted: 'i-check',
    rejected: 'i-stop',
    exception: 'i-stop',
    info: 'i-info',
    none: 'i-info',
  };
  const STATUS_ICONS = {
    pending: 'i-pending',
    passed: 'i-check',
    failed: 'i-cross',
    overridden: 'i-flag',
    idle: 'i-pending',
  };
  // No event at all for this long (the scale alone reports several times a
  // second, the server pings every 15 s but comments never reach the page):
  // ask /api/view whether the station is still there.
  const SILENCE_PROBE_MS = 40000;

  const state = {
    view: null,
    scale: null,
    language: 'en',
    catalogues: {},
    loadingCatalogues: {},
    connection: 'connecting',
    source: null,
    reconnectDelayMs: 1000,
    reconnectTimer: null,
    lastEventAtMs: 0,
    // The first view after (re)connecting is shown but never sounded: it may
    // carry a verdict the packer heard already.
    baselinePending: true,
    lastVerdictId: null,
    // Local clock minus the station's, from live verdicts: the supervisor's
    // countdown runs on the station's clock (expires_at_ms).
    clockOffsetMs: 0,
    devicesKey: '',
    linesKey: '',
    reasonsKey: '',
  };

  // sounds: what played, per verdict; views: a short history of what was
  // shown (state, lock, packer, verdict), newest last.
  const packline = { sounds: [], views: [], state };
  Object.defineProperty(packline, 'view', { get: () => state.view });
  window.packline = packline;

  // ---- DOM helpers ---------------------------------------------------------

  const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

  function element(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.testid) node.dataset.testid = options.testid;
    if (options.text !== undefined) node.textContent = options.text;
    if (options.type) node.type = options.type;
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function icon(name, className = 'icon') {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', className);
    svg.setAttribute('aria-hidden', 'true');
    const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
    use.setAttribute('href', `#${name}`);
    svg.append(use);
    return svg;
  }

  function setIcon(svg, name) {
    const use = svg && svg.querySelector('use');
    if (use && use.getAttribute('href') !== `#${name}`) use.setAttribute('href', `#${name}`);
  }

  function setText(node, text) {
    const value = text === undefined || text === null ? '' : String(text);
    if (node && node.textContent !== value) node.textContent = value;
  }

  function show(node, visible) {
    if (node) node.hidden = !visible;
  }

  // ---- texts (i18n/<language>.json) ----------------------------------------

  function loadCatalogue(language) {
    if (!state.loadingCatalogues[language]) {
      state.loadingCatalogues[language] = fetch(`i18n/${encodeURIComponent(language)}.json`, { cache: 'no-cache' })
        .then((response) => {
          if (!response.ok) throw new Error(`i18n/${language}.json: HTTP ${response.status}`);
          return response.json();
        })
        .then((catalogue) => {
          state.catalogues[language] = catalogue;
          return catalogue;
        })
        .catch((error) => {
          delete state.loadingCatalogues[language]; // asked again with the next view
          throw error;
        });
    }
    return state.loadingCatalogues[language];
  }

  // Fills {name} from `values`; complete = every placeholder had a value.
  function fill(template, values) {
    let complete = true;
    const text = String(template).replace(/\{([A-Za-z0-9_.-]+)\}/g, (match, name) => {
      const value = values ? values[name] : undefined;
      if (value === undefined || value === null) {
        complete = false;
        return match;
      }
      return String(value);
    });
    return { text, complete };
  }

  function languages() {
    return state.language === 'en' ? ['en'] : [state.language, 'en'];
  }

  // A screen text by key, in the view's language, else English, else the
  // text the HTML was written with.
  function ui(key, values, fallback) {
    for (const language of languages()) {
      const catalogue = state.catalogues[language];
      const template = catalogue && catalogue.ui ? catalogue.ui[key] : undefined;
      if (typeof template === 'string') {
        const filled = fill(template, values);
        if (filled.complete) return filled.text;
      }
    }
    return arguments.length >= 3 ? fallback : key;
  }

  function verdictEntry(language, code, details) {
    const catalogue = state.catalogues[language];
    if (!catalogue || !catalogue.verdicts || !code) return null;
    // A cause with its own advice ("express.print_failed/printer.spool_full":
    // the print server's disk is full, not the printer's labels).
    const cause = details && details.error;
    if (cause && catalogue.verdicts[`${code}/${cause}`]) return catalogue.verdicts[`${code}/${cause}`];
    if (catalogue.verdicts[code]) return catalogue.verdicts[code];
    // A family of codes the station passes through from its parsers
    // ("gs1.bad_check_digit"): "gs1.*".
    const dot = code.indexOf('.');
    if (dot > 0) return catalogue.verdicts[`${code.slice(0, dot)}.*`] || null;
    return null;
  }

  function grams(value) {
    if (value === undefined || value === null || value === '' || Number.isNaN(Number(value))) return null;
    const number = Number(value);
    const rounded = Math.abs(number) >= 100 ? Math.round(number) : Math.round(number * 10) / 10;
    return String(rounded);
  }

  // The values a verdict's texts may name: its details first (they are
  // specific), then what the view knows.
  function placeholderValues(verdict, view) {
    const values = {};
    const order = view && view.order;
    const parcel = view && view.parcel;
    const weight = view && view.weight;
    if (view) {
      values.station = view.station;
      values.packer = view.packer;
    }
    if (order) {
      values.order = order.id;
      if (order.recipient) values.recipient = order.recipient.name;
    }
    if (parcel) {
      values.sequence = parcel.sequence;
      if (parcel.tracking_number) values.tracking = parcel.tracking_number;
      if (parcel.carrier) values.carrier = String(parcel.carrier).toUpperCase();
      if (parcel.weight_g !== null && parcel.weight_g !== undefined) values.weight_g = grams(parcel.weight_g);
      if (parcel.exception) {
        values.exception_title = exceptionTitle(parcel.exception, view);
        values.exception_message = parcel.exception.message;
      }
    }
    if (!values.carrier && order && order.carrier) values.carrier = String(order.carrier).toUpperCase();
    if (weight) {
      values.expected_g = grams(weight.expected_g);
      values.tolerance_g = grams(weight.tolerance_g);
      values.min_g = grams(weight.min_g);
      values.max_g = grams(weight.max_g);
    }
    if (view && view.supervisor) values.supervisor = view.supervisor.name;
    // What the packer does next in the station's present state: the action
    // of verdicts that only say "go on" (RETRY, resumed, device back).
    if (view && view.state) values.next_step = ui(`next.${view.state}`, null, undefined);
    if (view && view.paused) {
      values.by = view.paused.by;
      values.reason = view.paused.reason;
    }
    const details = (verdict && verdict.details) || {};
    const missing = [];
    for (const [key, value] of Object.entries(details)) {
      values[key] = value === null || value === undefined ? '' : String(value);
      if (key.startsWith('missing.')) missing.push(`${value} × ${key.slice('missing.'.length)}`);
    }
    if (missing.length) values.missing = missing.join(', ');
    for (const key of ['expected_g', 'tolerance_g', 'measured_g', 'difference_g']) {
      if (details[key] !== undefined) values[key] = grams(details[key]);
    }
    if (details.order_id !== undefined && values.order === undefined) values.order = details.order_id;
    if (details.field !== undefined) {
      const field = String(details.field).startsWith('address_line_') ? 'address_line' : details.field;
      values.field_name = ui(`field.${field}`, null, details.field);
    }
    if (details.kind !== undefined) values.device_kind = ui(`device.${details.kind}`, null, details.kind);
    if (verdict) {
      values.message = verdict.message;
      values.code = verdict.code;
    }
    return values;
  }

  // Title and next action for a verdict. English: the catalogue entry, else
  // the station's own (English) message. Other languages: their entry, else
  // the English message.
  function verdictTexts(verdict, view) {
    const values = placeholderValues(verdict, view);
    const entry = verdictEntry(state.language, verdict.code, verdict.details);
    let title = null;
    let action = null;
    if (entry) {
      const filledTitle = fill(entry.title || '', values);
      const filledAction = fill(entry.action || '', values);
      if (filledTitle.complete && filledTitle.text) title = filledTitle.text;
      if (filledAction.complete) action = filledAction.text;
    }
    const fromCatalogue = title !== null;
    if (title === null) title = verdict.message || verdict.code || '';
    if (action === null) action = ui(`action.${verdict.kind}`, values, '');
    return { title, action, fromCatalogue };
  }

  function exceptionTitle(exception, view) {
    const pseudo = { code: exception.reason, message: exception.message, details: exception.details || {}, kind: 'exception' };
    const entry = verdictEntry(state.language, exception.reason, exception.details);
    if (!entry) return exception.message || exception.reason;
    const values = placeholderValues(pseudo, Object.assign({}, view, { parcel: null }));
    const filled = fill(entry.title || '', values);
    return filled.complete && filled.text ? filled.text : exception.message || exception.reason;
  }

  function translateStatic() {
    document.documentElement.lang = state.language;
    for (const node of document.querySelectorAll('[data-i18n]')) {
      if (node.dataset.i18nDefault === undefined) node.dataset.i18nDefault = node.textContent;
      setText(node, ui(node.dataset.i18n, null, node.dataset.i18nDefault));
    }
    for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
      if (node.dataset.i18nPlaceholderDefault === undefined) node.dataset.i18nPlaceholderDefault = node.placeholder;
      const text = ui(node.dataset.i18nPlaceholder, null, node.dataset.i18nPlaceholderDefault);
      if (node.placeholder !== text) node.placeholder = text;
    }
    document.title = ui('page.title', null, document.title);
  }

  async function useLanguage(language) {
    const wanted = language === 'zh-CN' ? 'zh-CN' : 'en';
    try {
      await loadCatalogue('en');
      if (wanted !== 'en') await loadCatalogue(wanted);
    } catch (error) {
      console.warn('packer screen: texts', error);
    }
    state.language = wanted;
    state.devicesKey = '';
    state.linesKey = '';
    state.reasonsKey = '';
    render();
  }

  // ---- sound (Web Audio, no files) -----------------------------------------

  const sound = {
    context: null,
    // Tone patterns: start (s), duration (s), frequency (Hz), wave.
    patterns: {
      good: [
        { at: 0, duration: 0.09, frequency: 880, wave: 'sine', volume: 0.3 },
        { at: 0.1, duration: 0.13, frequency: 1320, wave: 'sine', volume: 0.3 },
      ],
      wrong: [
        { at: 0, duration: 0.24, frequency: 185, wave: 'square', volume: 0.16 },
        { at: 0.3, duration: 0.42, frequency: 140, wave: 'square', volume: 0.16 },
      ],
      confirmed: [
        { at: 0, duration: 0.1, frequency: 523.25, wave: 'triangle', volume: 0.35 },
        { at: 0.1, duration: 0.1, frequency: 659.25, wave: 'triangle', volume: 0.35 },
        { at: 0.2, duration: 0.1, frequency: 783.99, wave: 'triangle', volume: 0.35 },
        { at: 0.3, duration: 0.4, frequency: 1046.5, wave: 'triangle', volume: 0.35 },
      ],
    },

    start() {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      try {
        this.context = new Context();
      } catch (error) {
        console.warn('packer screen: no audio', error);
        return;
      }
      this.context.addEventListener('statechange', () => this.updateButton());
      this.updateButton();
    },

    // Browsers start audio suspended until the page is touched.
    unlock() {
      if (this.context && this.context.state === 'suspended') {
        this.context.resume().then(() => this.updateButton(), () => this.updateButton());
      }
    },

    updateButton() {
      show(byTestId('sound-enable'), Boolean(this.context) && this.context.state !== 'running');
    },

    play(name, verdictId) {
      const pattern = this.patterns[name];
      if (!pattern) return;
      const audible = Boolean(this.context) && this.context.state === 'running';
      packline.sounds.push({ sound: name, verdict_id: verdictId, audible });
      if (!audible) return;
      const context = this.context;
      const start = context.currentTime + 0.01;
      for (const tone of pattern) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        const begin = start + tone.at;
        const end = begin + tone.duration;
        oscillator.type = tone.wave;
        oscillator.frequency.setValueAtTime(tone.frequency, begin);
        gain.gain.setValueAtTime(0.0001, begin);
        gain.gain.exponentialRampToValueAtTime(tone.volume, begin + 0.012);
        gain.gain.setValueAtTime(tone.volume, Math.max(begin + 0.013, end - 0.03));
        gain.gain.exponentialRampToValueAtTime(0.0001, end);
        oscillator.connect(gain);
        gain.connect(context.destination);
        oscillator.start(begin);
        oscillator.stop(end + 0.02);
      }
    },
  };

  // The station sends only its newest view, so verdicts that came close
  // together may reach the page as one; view.recent_sounds still lists them.
  // The sound that matters most plays: a wrong scan, then a confirmation,
  // then a good scan.
  function soundSince(view, previousId, verdict) {
    const rank = { none: 0, good: 1, confirmed: 2, wrong: 3 };
    let best = soundFor(verdict);
    if (typeof previousId !== 'number') return best;
    for (const entry of view.recent_sounds || []) {
      if (entry.id > previousId && entry.id <= verdict.id && (rank[entry.sound] || 0) > (rank[best] || 0)) {
        best = entry.sound;
      }
    }
    return best;
  }

  function soundFor(verdict) {
    if (verdict.sound) return verdict.sound;
    switch (verdict.kind) {
      case 'accepted':
        return 'good';
      case 'rejected':
      case 'exception':
        return 'wrong';
      case 'confirmed':
        return 'confirmed';
      default:
        return 'none';
    }
  }

  // ---- live data -------------------------------------------------------------

  function setConnection(connection) {
    state.connection = connection;
    const chip = byTestId('connection');
    chip.dataset.state = connection;
    setIcon(chip.querySelector('svg'), connection === 'lost' ? 'i-unlink' : 'i-link');
    const text = chip.querySelector('.chip-text');
    text.dataset.i18n = `connection.${connection}`;
    text.dataset.i18nDefault = { connected: 'Connected', connecting: 'Connecting…', lost: 'connection lost — reconnecting' }[connection];
    setText(text, ui(text.dataset.i18n, null, text.dataset.i18nDefault));
    document.body.classList.toggle('is-disconnected', connection === 'lost');
    if (state.view) renderCommands(state.view);
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    if (state.source) state.source.close();
    const source = new EventSource('events');
    state.source = source;
    source.addEventListener('open', () => {
      state.baselinePending = true;
      state.reconnectDelayMs = 1000;
      state.lastEventAtMs = Date.now();
      setConnection('connected');
    });
    source.addEventListener('view', (event) => {
      state.lastEventAtMs = Date.now();
      let view;
      try {
        view = JSON.parse(event.data);
      } catch (error) {
        console.warn('packer screen: bad view', error);
        return;
      }
      if (state.connection !== 'connected') setConnection('connected');
      onView(view);
    });
    source.addEventListener('scale', (event) => {
      state.lastEventAtMs = Date.now();
      try {
        state.scale = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      renderWeight(state.view);
    });
    source.addEventListener('error', () => {
      if (state.source !== source) return;
      setConnection(state.view ? 'lost' : 'connecting');
      // EventSource retries by itself unless the answer was not an event
      // stream (a proxy's error page, a daemon stopping): then we retry.
      if (source.readyState === EventSource.CLOSED) scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    clearTimeout(state.reconnectTimer);
    const delay = state.reconnectDelayMs;
    state.reconnectDelayMs = Math.min(delay * 2, 10000);
    state.reconnectTimer = setTimeout(connect, delay);
  }

  async function probeSilence() {
    if (state.connection !== 'connected' || Date.now() - state.lastEventAtMs < SILENCE_PROBE_MS) return;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 5000);
    try {
      const response = await fetch('api/view', { cache: 'no-store', signal: abort.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const view = await response.json();
      const shown = state.view || {};
      const verdictId = (value) => (value && value.verdict ? value.verdict.id : null);
      // The station is there; a quiet station is fine, a stream that
      // missed a change is not.
      if (view.state !== shown.state || verdictId(view) !== verdictId(shown)) throw new Error('stream behind');
      state.lastEventAtMs = Date.now();
    } catch (error) {
      // A stream that went quiet without closing (cable pulled, daemon
      // frozen): start again.
      setConnection('lost');
      if (state.source) state.source.close();
      scheduleReconnect();
    } finally {
      clearTimeout(timer);
    }
  }

  function onView(view) {
    const verdict = view.verdict;
    let fresh = false;
    if (state.baselinePending) {
      state.lastVerdictId = verdict ? verdict.id : null;
      state.baselinePending = false;
    } else if (verdict && verdict.id !== state.lastVerdictId) {
      const previousId = state.lastVerdictId;
      state.lastVerdictId = verdict.id;
      fresh = true;
      if (typeof verdict.at_ms === 'number') state.clockOffsetMs = Date.now() - verdict.at_ms;
      const name = soundSince(view, previousId, verdict);
      if (name !== 'none') sound.play(name, verdict.id);
    }
    state.view = view;
    state.freshVerdict = fresh;
    packline.views.push({
      state: view.state,
      locked: Boolean(view.locked),
      packer: view.packer,
      language: view.language,
      verdict_id: verdict ? verdict.id : null,
      verdict_code: verdict ? verdict.code : null,
    });
    if (packline.views.length > 500) packline.views.splice(0, packline.views.length - 500);
    const language = view.language === 'zh-CN' ? 'zh-CN' : 'en';
    if (language !== state.language || !state.catalogues[language]) {
      useLanguage(language);
    }
    render();
  }

  // ---- actions ---------------------------------------------------------------

  function showActionError(text) {
    const node = byTestId('action-error');
    setText(node, text);
    show(node, Boolean(text));
    clearTimeout(showActionError.timer);
    if (text) showActionError.timer = setTimeout(() => show(node, false), 8000);
  }

  async function post(path, body, control) {
    if (control) {
      control.classList.add('is-busy');
      control.disabled = true;
    }
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        cache: 'no-store',
      });
      if (response.status === 202 || response.ok) {
        showActionError('');
        return true;
      }
      let message = '';
      try {
        const answer = await response.json();
        message = answer && answer.error ? answer.error.message || answer.error.code : '';
      } catch (error) {
        message = response.statusText;
      }
      showActionError(ui('error.refused', { status: response.status, message }, `Refused (${response.status}): ${message}`));
      return false;
    } catch (error) {
      showActionError(ui('error.network', null, 'The station did not answer — try again.'));
      return false;
    } finally {
      if (control) {
        // A short pause against double taps; the next view sets the real state.
        setTimeout(() => {
          control.classList.remove('is-busy');
          control.disabled = false;
          render();
        }, 400);
      }
    }
  }

  function sendCommand(command, control) {
    return post('api/command', { command }, control);
  }

  function bindActions() {
    const form = byTestId('manual-form');
    const input = byTestId('manual-input');
    // One entry at a time: a second Enter while the first is on its way would
    // count the item twice. The button is never disabled for it (a form whose
    // submit button is disabled ignores Enter).
    let sending = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const code = input.value.trim();
      if (!code || sending) return;
      sending = true;
      const submit = byTestId('manual-submit');
      submit.classList.add('is-busy');
      post('api/manual', { code }).then((sent) => {
        if (sent && input.value.trim() === code) input.value = '';
      }).finally(() => {
        sending = false;
        submit.classList.remove('is-busy');
      });
    });

    for (const button of document.querySelectorAll('.commands .command, [data-testid="supervisor-reprint"]')) {
      button.addEventListener('click', () => {
        const command = button.dataset.command;
        if (command === 'ABANDON') {
          show(byTestId('abandon-confirm'), true);
          clearTimeout(bindActions.abandonTimer);
          bindActions.abandonTimer = setTimeout(() => show(byTestId('abandon-confirm'), false), 15000);
          return;
        }
        sendCommand(command, button);
      });
    }
    byTestId('cmd-abandon-cancel').addEventListener('click', () => show(byTestId('abandon-confirm'), false));
    byTestId('cmd-abandon-confirm').addEventListener('click', (event) => {
      show(byTestId('abandon-confirm'), false);
      sendCommand('ABANDON', event.currentTarget);
    });

    byTestId('sound-enable').addEventListener('click', () => sound.unlock());
    // Any touch counts as the gesture browsers want before playing sound.
    document.addEventListener('pointerdown', () => sound.unlock(), { capture: true });
    document.addEventListener('keydown', () => sound.unlock(), { capture: true });
  }

  // ---- rendering -------------------------------------------------------------

  function render() {
    const view = state.view;
    translateStatic();
    if (!view) return;
    document.body.classList.remove('is-loading');
    document.body.dataset.state = view.state || '';
    show(byTestId('loading'), false);
    renderTopbar(view);
    renderVerdict(view);
    renderCustomer(view);
    renderLines(view);
    renderWeight(view);
    renderExpress(view);
    renderChecks(view);
    renderCommands(view);
    renderSupervisor(view);
    renderFullscreen(view);
    placeOverlays();
  }

  function renderTopbar(view) {
    setText(byTestId('station-name'), view.station || '');
    const packer = byTestId('packer');
    packer.dataset.state = view.locked ? 'locked' : 'signed-in';
    setIcon(packer.querySelector('svg'), view.locked ? 'i-lock' : 'i-user');
    setText(byTestId('packer-name'), view.locked ? ui('packer.locked', null, 'Locked') : view.packer || '—');

    // One chip per kind, at its worst health.
    const kinds = new Map();
    for (const device of view.devices || []) {
      const known = kinds.get(device.kind);
      if (!known || (HEALTH_RANK[device.health] || 0) > (HEALTH_RANK[known.health] || 0)) kinds.set(device.kind, device);
    }
    const key = JSON.stringify([state.language, [...kinds.values()].map((d) => [d.kind, d.health, d.detail])]);
    if (key === state.devicesKey) return;
    state.devicesKey = key;
    const chips = [];
    for (const kind of DEVICE_KINDS) {
      const device = kinds.get(kind);
      if (!device) continue;
      // A healthy signal light says nothing worth the room.
      if (kind === 'indicator' && device.health === 'present') continue;
      const healthy = device.health === 'present';
      const chip = element('span', { className: 'chip device-chip', testid: `device-${kind}` }, [
        icon(DEVICE_ICONS[kind] || 'i-info'),
        // Healthy: the icon and a tick are enough; a problem gets words.
        healthy ? null : element('span', { className: 'device-label', text: ui(`device.${kind}`, null, kind) }),
        healthy ? icon('i-check', 'icon device-state') : icon(device.health === 'faulty' ? 'i-cross' : 'i-warn', 'icon device-state'),
        element('span', { className: 'visually-hidden', text: ui(`health.${device.health}`, null, device.health) }),
      ]);
      chip.dataset.health = device.health;
      chip.title = `${ui(`device.${kind}`, null, kind)}: ${device.detail || device.name || ''}`;
      chip.setAttribute('aria-label', `${ui(`device.${kind}`, null, kind)} ${ui(`health.${device.health}`, null, device.health)}`);
      chips.push(chip);
    }
    byTestId('devices').replaceChildren(...chips);
  }

  function renderVerdict(view) {
    const banner = byTestId('verdict');
    const verdict = view.verdict;
    let kind = 'none';
    let title;
    let action;
    if (verdict) {
      kind = verdict.kind || 'info';
      ({ title, action } = verdictTexts(verdict, view));
      banner.dataset.code = verdict.code || '';
      banner.dataset.verdictId = String(verdict.id);
    } else {
      const values = placeholderValues(null, view);
      const stateKey = view.state || 'idle';
      title = ui(`state.${stateKey}.title`, values, ui('state.idle.title', values, 'Scan an order'));
      action = ui(`state.${stateKey}.action`, values, '');
      banner.dataset.code = '';
      banner.dataset.verdictId = '';
    }
    banner.dataset.kind = kind;
    setIcon(banner.querySelector('.verdict-icon'), KIND_ICONS[kind] || 'i-info');
    setText(byTestId('verdict-word'), kind === 'none' ? '' : ui(`kind.${kind}`, null, kind.toUpperCase()));
    setText(byTestId('verdict-title'), title);
    setText(byTestId('verdict-action'), action);
    show(byTestId('verdict-action'), Boolean(action));
    if (state.freshVerdict) {
      state.freshVerdict = false;
      banner.classList.remove('is-new');
      void banner.offsetWidth; // restart the animation
      banner.classList.add('is-new');
    }
    const covered = view.locked || Boolean(view.paused);
    document.body.classList.toggle('frame-pass', kind === 'confirmed' && !covered);
    document.body.classList.toggle('frame-fail', (kind === 'rejected' || kind === 'exception') && !covered);
  }

  function renderChecks(view) {
    const parcel = view.parcel;
    const active = activeCheck(view);
    for (const check of CHECKS) {
      const panel = byTestId(`check-${check}`);
      const status = parcel ? parcel[check] || 'pending' : 'idle';
      panel.dataset.state = status;
      panel.classList.toggle('is-active', active === check);
      const chip = byTestId(`check-${check}-status`);
      const label = ui(`status.${status}`, null, status);
      const key = `${status}|${label}`;
      if (chip.dataset.key !== key) {
        chip.dataset.key = key;
        chip.replaceChildren(icon(STATUS_ICONS[status] || 'i-pending'), element('span', { text: label }));
      }
      const problem = byTestId(`${check}-problem`);
      const exception = parcel && parcel.exception;
      if (exception && exception.check === check && status === 'failed') {
        const text = exceptionTitle(exception, view);
        if (problem.dataset.text !== text) {
          problem.dataset.text = text;
          problem.replaceChildren(icon('i-cross'), element('span', { text }));
        }
        show(problem, true);
      } else {
        show(problem, false);
      }
    }
  }

  function activeCheck(view) {
    const parcel = view.parcel;
    if (!parcel) return null;
    if (parcel.exception && parcel.state === 'exception') return parcel.exception.check;
    switch (view.state) {
      case 'scanning':
      case 'weighing':
        return 'contents';
      case 'printing':
      case 'awaiting_scan_back':
        return 'express';
      default:
        return null;
    }
  }

  function renderCustomer(view) {
    const order = view.order;
    const parcel = view.parcel;
    const recipient = (order && order.recipient) || null;
    setText(byTestId('order-id'), order ? order.id : '—');
    const sequence = byTestId('parcel-sequence');
    if (parcel && (parcel.sequence > 1 || parcel.closed_partial)) {
      const parts = [];
      if (parcel.sequence > 1) parts.push(ui('customer.parcel_number', { sequence: parcel.sequence }, `Parcel ${parcel.sequence}`));
      if (parcel.closed_partial) parts.push(ui('customer.partial', null, 'partial'));
      setText(sequence, parts.join(' · '));
      show(sequence, true);
    } else {
      show(sequence, false);
    }
    setText(byTestId('recipient-name'), recipient ? recipient.name : '');
    setText(byTestId('recipient-phone'), recipient ? recipient.phone : '');
    let address = '';
    if (recipient && recipient.address) {
      const a = recipient.address;
      const lines = (a.lines || []).filter(Boolean);
      const place = [a.postal_code, a.city, a.region].filter(Boolean).join(' ');
      address = [...lines, place, a.country].filter(Boolean).join(', ');
    }
    setText(byTestId('recipient-address'), address);
    const waybill = (parcel && parcel.tracking_number) || (order && order.tracking_number) || '';
    setText(byTestId('customer-waybill'), waybill || '—');

    // The field the customer check failed on is marked where it is shown.
    const exception = parcel && parcel.exception && parcel.exception.check === 'customer' ? parcel.exception : null;
    const field = exception ? fieldOf(exception) : null;
    for (const node of document.querySelectorAll('.customer .field')) {
      node.classList.toggle('is-bad', field !== null && node.dataset.field === field);
    }
  }

  function fieldOf(exception) {
    const details = exception.details || {};
    const field = details.field || '';
    if (field === 'name') return 'name';
    if (field === 'phone') return 'phone';
    if (field) return 'address';
    if (exception.reason && exception.reason.startsWith('customer.waybill')) return 'waybill';
    return null;
  }

  function renderLines(view) {
    const lines = view.lines || [];
    const key = JSON.stringify([state.language, lines]);
    if (key === state.linesKey) return;
    state.linesKey = key;
    const items = lines.map((line) => {
      const complete = line.required > 0 && line.scanned >= line.required;
      const variant = [line.size, line.colour].filter(Boolean).join(' · ');
      const count = element('span', { className: 'line-count', testid: `line-${line.sku}-count` }, [
        complete ? icon('i-check') : null,
        element('span', { text: `${line.scanned}/${line.required}` }),
      ]);
      const nameRow = element('span', { className: 'line-name', text: line.name || line.sku });
      const extras = element('span', { className: 'line-variant' }, [
        document.createTextNode([variant, line.sku].filter(Boolean).join('  ·  ')),
      ]);
      if (line.serial_required) extras.append(' ', element('span', { className: 'tag', text: ui('line.serial', null, 'serial') }));
      if (line.manual > 0) {
        extras.append(' ', element('span', { className: 'line-manual', testid: `line-${line.sku}-manual` }, [
          icon('i-hand'),
          element('span', { text: ui('line.manual', { count: line.manual }, `typed ×${line.manual}`) }),
        ]));
      }
      const item = element('li', { className: 'line', testid: `line-${line.sku}` }, [nameRow, count, extras]);
      item.dataset.complete = String(complete);
      item.dataset.scanned = String(line.scanned);
      item.dataset.required = String(line.required);
      item.dataset.manual = String(line.manual || 0);
      return item;
    });
    if (!items.length) {
      items.push(element('li', { className: 'line-empty field-label', text: ui('contents.empty', null, 'Items appear when an order is scanned') }));
    }
    byTestId('lines').replaceChildren(...items);
  }

  function renderWeight(view) {
    const box = byTestId('weight');
    const reading = state.scale;
    const band = view && view.weight;
    const readingNode = byTestId('scale-reading');
    const statusNode = byTestId('scale-status');
    const status = reading ? reading.status : 'none';
    const value = reading ? grams(reading.grams) : null;
    setText(readingNode, value !== null ? `${value} g` : '— g');
    readingNode.dataset.status = status;
    readingNode.dataset.grams = reading ? String(reading.grams) : '';
    statusNode.dataset.status = status;
    setText(statusNode, reading ? ui(`scale.${status}`, null, status) : '');

    const zone = byTestId('weight-band-zone');
    const expectedMark = box.querySelector('.weight-expected');
    const needle = byTestId('weight-needle');
    const bandText = byTestId('weight-band');
    if (!band) {
      box.dataset.state = 'none';
      show(zone, false);
      show(expectedMark, false);
      show(needle, false);
      const weighed = view && view.parcel && view.parcel.weight_g !== null && view.parcel.weight_g !== undefined;
      setText(bandText, weighed
        ? ui('weight.weighed', { weight_g: grams(view.parcel.weight_g) }, '')
        : ui('weight.waiting', null, 'The expected weight shows when all items are in'));
      return;
    }
    const min = Number(band.min_g);
    const max = Number(band.max_g);
    const expected = Number(band.expected_g);
    const measured = reading ? Number(reading.grams) : null;
    // The scale's range on screen: the band sits left of centre so a parcel
    // far too heavy still shows on the track.
    const top = Math.max(max * 1.5, measured !== null ? measured * 1.08 : 0, 1);
    const percent = (grams_) => `${Math.min(100, Math.max(0, (grams_ / top) * 100))}%`;
    zone.style.left = percent(min);
    zone.style.width = `${Math.max(0.8, ((max - min) / top) * 100)}%`;
    expectedMark.style.left = percent(expected);
    show(zone, true);
    show(expectedMark, true);
    const onScale = measured !== null && (status === 'stable' || status === 'in_motion');
    if (onScale) {
      needle.style.left = percent(measured);
      needle.classList.toggle('is-moving', status === 'in_motion');
    }
    show(needle, onScale);
    let verdict = 'none';
    if (onScale && status === 'stable' && measured > 0) verdict = measured >= min && measured <= max ? 'in' : 'out';
    box.dataset.state = verdict;
    const values = {
      expected_g: grams(expected),
      tolerance_g: grams(band.tolerance_g),
      min_g: grams(min),
      max_g: grams(max),
    };
    let text = ui('weight.band', values, `Expected ${values.expected_g} g ± ${values.tolerance_g} g (${values.min_g}–${values.max_g} g)`);
    if (verdict === 'in') text += ` — ${ui('weight.in', null, 'in range')}`;
    if (verdict === 'out') text += ` — ${ui(measured > max ? 'weight.heavy' : 'weight.light', null, measured > max ? 'too heavy' : 'too light')}`;
    setText(bandText, text);
  }

  function renderExpress(view) {
    const parcel = view.parcel;
    const order = view.order;
    const tracking = (parcel && parcel.tracking_number) || (order && order.tracking_number) || '';
    setText(byTestId('tracking'), tracking || '—');
    const carrier = (parcel && parcel.carrier) || (order && order.carrier) || '';
    const service = order && order.service ? ` · ${order.service}` : '';
    setText(byTestId('carrier').querySelector('.carrier-name'), carrier ? `${carrier.toUpperCase()}${service}` : '—');
    const label = (parcel && parcel.label) || 'none';
    const steps = byTestId('label-status');
    steps.dataset.state = label;
    const order_ = ['printing', 'printed', 'scanned'];
    const reached = order_.indexOf(label);
    for (const step of steps.querySelectorAll('li')) {
      const index = order_.indexOf(step.dataset.step);
      const done = label === 'scanned' ? true : index < reached || (label === 'printed' && index === 0);
      const current = !done && ((label === 'printing' && index === 0) || (label === 'printed' && index > 0));
      step.classList.toggle('is-done', done);
      step.classList.toggle('is-current', current);
    }
    let text = parcel ? ui(`label.${label}`, null, '') : '';
    if (parcel && parcel.label_attempts > 1) text += ` ${ui('label.attempts', { count: parcel.label_attempts }, `(printed ${parcel.label_attempts}×)`)}`;
    setText(byTestId('label-text'), text.trim());
  }

  function renderCommands(view) {
    const commands = view.commands || {};
    // Locked, paused or offline: nothing to send, or nobody to hear it.
    const blocked = view.locked || Boolean(view.paused) || state.connection !== 'connected';
    for (const button of document.querySelectorAll('.commands .command')) {
      const key = button.dataset.command.toLowerCase();
      const enabled = Boolean(commands[key]) && !blocked;
      if (!button.classList.contains('is-busy')) button.disabled = !enabled;
    }
    if (!commands.abandon) show(byTestId('abandon-confirm'), false);
    const input = byTestId('manual-input');
    input.disabled = blocked;
    byTestId('manual-submit').disabled = blocked;
  }

  function renderSupervisor(view) {
    const panel = byTestId('supervisor');
    const supervisor = view.supervisor;
    show(panel, Boolean(supervisor) && !view.locked && !view.paused);
    if (!supervisor) return;
    const values = placeholderValues(null, view);
    values.name = supervisor.name;
    setText(byTestId('supervisor-title'), ui(supervisor.for_reprint ? 'supervisor.title_reprint' : 'supervisor.title', values, `${supervisor.name}: choose a reason`));
    const exception = view.parcel && view.parcel.exception;
    setText(byTestId('supervisor-text'), supervisor.for_reprint
      ? ui('supervisor.text_reprint', values, '')
      : exception ? ui('supervisor.text', values, '') : '');
    const warning = byTestId('supervisor-warning');
    const refused = !supervisor.for_reprint && exception && exception.overridable === false;
    setText(warning, refused ? ui('supervisor.not_overridable', values, '') : '');
    show(warning, Boolean(refused));
    show(byTestId('supervisor-reprint'), supervisor.for_reprint);
    if (supervisor.for_reprint) byTestId('supervisor-reprint').disabled = !(view.commands && view.commands.reprint);

    const reasons = supervisor.reasons || view.override_reasons || [];
    const key = JSON.stringify([state.language, reasons]);
    if (key !== state.reasonsKey) {
      state.reasonsKey = key;
      const buttons = reasons.map((reason) => {
        const button = element('button', { className: 'button reason', testid: `reason-${reason.code}`, type: 'button' }, [
          icon('i-flag'),
          element('span', { text: ui(`reason.${reason.code}`, null, reason.label || reason.code) }),
        ]);
        button.dataset.code = reason.code;
        button.addEventListener('click', () => post('api/reason', { code: reason.code }, button));
        return button;
      });
      byTestId('reasons').replaceChildren(...buttons);
    }
    updateCountdown();
  }

  function updateCountdown() {
    const view = state.view;
    const node = byTestId('supervisor-countdown');
    if (!view || !view.supervisor || !view.supervisor.expires_at_ms) {
      show(node, false);
      return;
    }
    const stationNow = Date.now() - state.clockOffsetMs;
    const seconds = Math.max(0, Math.ceil((view.supervisor.expires_at_ms - stationNow) / 1000));
    show(node, true);
    node.classList.toggle('is-low', seconds <= 5);
    node.dataset.seconds = String(seconds);
    setText(node.querySelector('.countdown-text'), ui('supervisor.countdown', { seconds }, `${seconds} s`));
  }

  function renderFullscreen(view) {
    const paused = Boolean(view.paused);
    show(byTestId('paused'), paused);
    if (paused) {
      setText(byTestId('paused-title'), ui('paused.title', { by: view.paused.by || '?' }, `Paused by ${view.paused.by}`));
      setText(byTestId('paused-reason'), view.paused.reason || '');
    }
    show(byTestId('lock'), Boolean(view.locked) && !paused);
    if (view.locked) {
      const reason = view.lock_reason || 'sign_in';
      setText(byTestId('lock-reason'), ui(`lock.reason.${reason}`, null, ''));
    }
  }

  // Lock and pause leave the top bar visible: place them under it.
  function placeOverlays() {
    const bar = document.querySelector('.topbar');
    if (!bar) return;
    const bottom = Math.ceil(bar.getBoundingClientRect().bottom);
    document.documentElement.style.setProperty('--topbar-bottom', `${bottom + 4}px`);
  }

  // ---- start -------------------------------------------------------------------

  function start() {
    bindActions();
    sound.start();
    setConnection('connecting');
    useLanguage('en').then(() => setConnection(state.connection));
    connect();
    setInterval(updateCountdown, 250);
    setInterval(probeSilence, 10000);
    window.addEventListener('resize', placeOverlays);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
