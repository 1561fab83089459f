// The supervisor dashboard: draws the hub's snapshot (GET /api/snapshot once,
// then every `snapshot` event of GET /events, Server-Sent Events). Plain
// ES2020, no framework, no build step: packline-hub embeds this folder as it
// is. The document's fields are described in docs/dashboard.md ("Data").
//
// The hub is the truth: the page keeps nothing but the latest snapshot and
// redraws from it. Only ages ("synced 12 s ago", "offline for 3 min") tick
// here, once a second, on the hub's clock as the page estimates it.
// window.packlineDashboard holds the latest snapshot for tests and the
// curious.
'use strict';

(() => {
  // The hub republishes every 10 s even when nothing changed: twice that and
  // more without a snapshot means the stream is dead even if the socket is not.
  const SILENCE_MS = 25000;
  const RECONNECT_MIN_MS = 1000;
  const RECONNECT_MAX_MS = 15000;
  // An online station with messages waiting whose last acknowledged sync is
  // this old needs a look (amber), or help (red). With nothing waiting an old
  // sync only means there was nothing to send.
  const SYNC_WARN_MS = 60 * 1000;
  const SYNC_BAD_MS = 5 * 60 * 1000;
  const HOUR_MS = 3600 * 1000;

  const CHECKS = ['customer', 'contents', 'express'];
  const CHECK_NAMES = { customer: 'Customer', contents: 'Contents', express: 'Express' };
  const DEVICE_KINDS = [
    { kind: 'scanner', name: 'Scanner', icon: 'i-scanner' },
    { kind: 'scale', name: 'Scale', icon: 'i-scale' },
    { kind: 'label-printer', name: 'Printer', icon: 'i-printer' },
    { kind: 'camera', name: 'Camera', icon: 'i-camera' },
  ];
  const HEALTH_RANK = { present: 0, absent: 1, faulty: 2 };
  const STATE_NAMES = {
    idle: 'Idle',
    scanning: 'Scanning',
    weighing: 'Weighing',
    printing: 'Printing',
    awaiting_scan_back: 'Scan back',
    exception: 'Exception',
    paused: 'Paused',
    offline: 'Offline',
  };
  const WORKING_STATES = new Set(['scanning', 'weighing', 'printing', 'awaiting_scan_back']);
  const KIND_NAMES = { exception: 'Exception', override: 'Override', manual_entry: 'Manual entry' };
  const BUCKET_NAMES = { critical: 'Critical', overdue: 'Overdue', due: 'Due' };

  const state = {
    snapshot: null,
    // Hub clock minus the page's clock. A snapshot's generated_at_ms is at
    // most the hub's time when it arrives (the stream may hand over one made
    // a few seconds ago), so the largest recent sample is the best estimate.
    offsetMs: null,
    source: null,
    connection: 'connecting',
    reconnectDelayMs: RECONNECT_MIN_MS,
    reconnectTimer: null,
    lastSnapshotAtMs: 0,
    leaving: false,
    keys: { stations: '', exceptions: '', shipBy: '', throughput: '', totals: '' },
    chartWidths: { stations: 0, packers: 0 },
  };
  window.packlineDashboard = {
    get snapshot() {
      return state.snapshot;
    },
    get connection() {
      return state.connection;
    },
  };

  // ---- DOM helpers ---------------------------------------------------------

  const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
  const SVG_NS = 'http://www.w3.org/2000/svg';

  function element(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.testid) node.dataset.testid = options.testid;
    if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
    if (options.title) node.title = options.title;
    if (options.data) for (const [key, value] of Object.entries(options.data)) node.dataset[key] = String(value);
    for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
    return node;
  }

  function svgElement(tag, attributes = {}, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function icon(name) {
    const svg = svgElement('svg', { class: 'icon', 'aria-hidden': 'true' });
    svg.append(svgElement('use', { href: `#${name}` }));
    return svg;
  }

  function setText(node, text) {
    const value = text === undefined || text === null ? '' : String(text);
    if (node && node.textContent !== value) node.textContent = value;
  }

  // ---- time ----------------------------------------------------------------

  function hubNow() {
    return Date.now() + (state.offsetMs || 0);
  }

  function noteHubTime(generatedAtMs) {
    if (typeof generatedAtMs !== 'number') return;
    const sample = generatedAtMs - Date.now();
    // A sample far below the estimate is an old snapshot; one far above, or
    // a clock that jumped, replaces it.
    if (state.offsetMs === null || sample > state.offsetMs || state.offsetMs - sample > 60000) state.offsetMs = sample;
  }

  const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const hourFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
  const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

  function clock(ms) {
    return clockFormat.format(new Date(ms));
  }

  function hourMinute(ms) {
    return hourFormat.format(new Date(ms));
  }

  // "14:00", or "Tue 24 Nov 14:00" when not today.
  function dateTime(ms) {
    const date = new Date(ms);
    const today = new Date(hubNow());
    const sameDay = date.toDateString() === today.toDateString();
    return sameDay ? hourMinute(ms) : `${dayFormat.format(date)} ${hourMinute(ms)}`;
  }

  // "8 s", "3 min", "2 h 5 min", "1 d 4 h".
  function duration(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    if (seconds < 60) return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
    const days = Math.floor(hours / 24);
    return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
  }

  function count(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  function number(value, digits = 0) {
    const known = count(value);
    if (known === null) return '—';
    return known.toLocaleString(undefined, { maximumFractionDigits: digits });
  }

  // ---- stations -------------------------------------------------------------

  // When the hub last acknowledged one of the station's messages, on the
  // hub's clock (last_sync_ms is the station's; clock_skew_ms = hub - station).
  function lastSyncHubMs(station) {
    if (!station.online || !count(station.last_sync_ms)) return null;
    return station.last_sync_ms + (count(station.clock_skew_ms) || 0);
  }

  function syncLevel(station, now) {
    if (!station.online) return 'none';
    const backlog = count(station.outbox_backlog) || 0;
    if (backlog === 0) return 'ok';
    const synced = lastSyncHubMs(station);
    if (synced === null) return 'warn';
    const age = now - synced;
    if (age >= SYNC_BAD_MS) return 'bad';
    if (age >= SYNC_WARN_MS) return 'warn';
    return 'ok';
  }

  function deviceHealth(station, kind) {
    const devices = (station.devices || []).filter((device) => device.kind === kind);
    if (!station.online) return { health: 'unknown', devices };
    if (devices.length === 0) return { health: 'none', devices };
    const worst = devices.reduce((a, b) => ((HEALTH_RANK[b.health] || 0) > (HEALTH_RANK[a.health] || 0) ? b : a));
    return { health: worst.health, devices };
  }

  // level: the card's colour; rank: its place (problems first); why: the words.
  function assess(station, now) {
    if (!station.online) {
      if (station.offline_reason === 'shutdown') return { level: 'off', rank: 6, why: 'shut down' };
      return { level: 'lost', rank: 0, why: 'connection lost' };
    }
    const health = DEVICE_KINDS.map(({ kind }) => deviceHealth(station, kind).health);
    const sync = syncLevel(station, now);
    if (station.state === 'exception') return { level: 'problem', rank: 1, why: 'exception' };
    if (health.includes('faulty')) return { level: 'problem', rank: 2, why: 'device faulty' };
    if (sync === 'bad') return { level: 'problem', rank: 2, why: 'not syncing' };
    if (station.state === 'paused') return { level: 'warn', rank: 3, why: 'paused' };
    if (health.includes('absent')) return { level: 'warn', rank: 3, why: 'device absent' };
    if (sync === 'warn') return { level: 'warn', rank: 3, why: 'sync slow' };
    if (WORKING_STATES.has(station.state)) return { level: 'working', rank: 5, why: '' };
    return { level: 'idle', rank: 5, why: '' };
  }

  // Station ids are unique per site; a hub serving several sites shows the
  // site next to each. The test ids use the station id, as the issue fixed.
  function stationCard(reported, assessment) {
    // An offline station shows its last picture, marked as such: who was
    // packing which order, and its figures, when it went away.
    const lastKnown = !reported.online && reported.last_known ? reported.last_known : null;
    const station = lastKnown
      ? {
          ...reported,
          packer: lastKnown.packer,
          current_order: lastKnown.current_order,
          parcels_per_hour: lastKnown.parcels_per_hour,
          exceptions_by_check: lastKnown.exceptions_by_check,
        }
      : reported;
    const id = station.station;
    const card = element('article', {
      className: 'station',
      testid: `station-${id}`,
      data: { online: station.online ? 'true' : 'false', level: assessment.level, state: station.state, site: station.site },
    });
    card.setAttribute('aria-label', `Station ${id}${assessment.why ? `: ${assessment.why}` : ''}`);

    const stateName = STATE_NAMES[station.state] || station.state || '?';
    card.append(
      element('header', { className: 'station-head' }, [
        element('span', { className: 'station-name', text: id, title: `${id} (${station.site})` }),
        element('span', { className: 'station-site', text: station.site }),
        element('span', { className: 'state', testid: `station-state-${id}`, text: stateName, data: { state: station.state } }),
      ]),
    );

    if (!station.online) {
      const since = count(station.received_at_ms);
      const banner = element('div', { className: 'offline-banner', testid: `station-offline-${id}` }, [
        element('span', {
          text: station.offline_reason === 'shutdown' ? 'Shut down' : 'OFFLINE — connection lost',
        }),
        since !== null
          ? element('small', { className: 'tick', data: { tick: 'since', sinceMs: since } })
          : element('small', { text: 'since an unknown time' }),
        lastKnown && typeof lastKnown.at_ms === 'number'
          ? element('small', { testid: `station-last-known-${id}`, text: `below: as last reported at ${clock(lastKnown.at_ms)}` })
          : null,
      ]);
      card.append(banner);
    }

    const packer = station.packer || '';
    const order = station.current_order || '';
    card.append(
      element('div', { className: 'who-line' }, [
        element('span', { className: 'field', testid: `station-packer-${id}`, title: 'Packer' }, [
          icon('i-user'),
          element('span', {
            className: `field-text${packer ? '' : ' none'}`,
            text: packer || (station.online ? 'nobody signed in' : '—'),
          }),
        ]),
        element('span', { className: 'field', testid: `station-order-${id}`, title: 'Current order' }, [
          icon('i-box'),
          element('span', { className: `field-text mono${order ? '' : ' none'}`, text: order || 'no order' }),
        ]),
      ]),
    );

    const byCheck = station.exceptions_by_check;
    const checks = element('div', {
      className: 'by-check',
      testid: `station-exceptions-${id}`,
      data: {
        total: byCheck ? CHECKS.reduce((sum, check) => sum + (count(byCheck[check]) || 0), 0) : '',
        shift: count(station.exceptions_in_shift) ?? '',
      },
    });
    for (const check of CHECKS) {
      const value = byCheck ? count(byCheck[check]) : null;
      checks.dataset[check] = value === null ? '' : String(value);
      if (!byCheck) continue;
      checks.append(
        element('span', { className: 'check-count', data: { check, nonzero: value > 0 ? 'true' : 'false' } }, [
          document.createTextNode(CHECK_NAMES[check]),
          element('b', { text: value === null ? '—' : value }),
        ]),
      );
    }
    card.append(
      element('div', { className: 'metrics' }, [
        element('div', { className: 'metric' }, [
          element('span', { className: 'metric-value', testid: `station-rate-${id}`, text: number(station.parcels_per_hour) }),
          element('span', { className: 'metric-label', text: 'parcels / hour' }),
        ]),
        element('div', { className: 'metric' }, [
          element('span', {
            className: 'metric-value',
            testid: `station-shipments-${id}`,
            text: number(station.shipments_in_shift),
            data: { value: count(station.shipments_in_shift) ?? '' },
          }),
          element('span', { className: 'metric-label', text: 'shipped this shift' }),
        ]),
      ]),
    );
    if (!byCheck) checks.append(element('span', { className: 'check-count', text: station.online ? 'not reported' : 'unknown while offline' }));
    card.append(
      element('div', { className: 'checks-line' }, [
        element('span', { className: 'checks-label', text: 'Exceptions by check', title: 'Exceptions by check since the packer signed in (the station\'s count)' }),
        checks,
      ]),
    );

    const devices = element('div', { className: 'devices', testid: `station-devices-${id}` });
    if (!station.online) {
      devices.append(element('span', { className: 'device', text: 'devices unknown while offline', data: { health: 'unknown' } }));
    } else if ((station.devices || []).length === 0) {
      devices.append(element('span', { className: 'device', text: 'no devices reported', title: 'The station\'s status lists no device', data: { health: 'none' } }));
    } else {
      // Healthy devices are an icon each (the name in the tooltip); a device
      // that needs attention says so in words.
      for (const { kind, name, icon: iconName } of DEVICE_KINDS) {
        const { health, devices: found } = deviceHealth(station, kind);
        const words = { present: name, absent: `${name} absent`, faulty: `${name} FAULTY`, none: `no ${name.toLowerCase()}` };
        const title = found.length
          ? found.map((device) => `${device.name}: ${device.health}${device.detail ? ` (${device.detail})` : ''}`).join('\n')
          : `No ${name.toLowerCase()} configured`;
        const chip = element('span', { className: 'device', title, data: { kind, health } }, [icon(iconName)]);
        if (health === 'present') chip.setAttribute('aria-label', `${name}: present`);
        else chip.append(element('span', { text: words[health] || name }));
        devices.append(chip);
      }
    }
    card.append(devices);

    const backlog = count(station.outbox_backlog);
    card.append(
      element('footer', { className: 'sync-line' }, [
        element(
          'span',
          {
            className: 'field backlog',
            testid: `station-backlog-${id}`,
            title: 'Messages in the station outbox not yet acknowledged by the hub',
            data: { value: backlog ?? '', tick: 'backlog' },
          },
          [icon('i-sync'), element('span', { text: backlog === null ? 'outbox —' : `outbox ${number(backlog)}` })],
        ),
        element(
          'span',
          {
            className: 'field age tick',
            testid: `station-sync-${id}`,
            data: {
              tick: 'sync',
              online: station.online ? 'true' : 'false',
              syncMs: lastSyncHubMs(station) ?? '',
              never: station.online && count(station.last_sync_ms) === 0 ? 'true' : 'false',
              backlog: backlog ?? 0,
              heardMs: count(station.received_at_ms) ?? '',
            },
          },
          [icon('i-clock'), element('span', { className: 'age-text' })],
        ),
      ]),
    );
    return card;
  }

  function renderStations(snapshot) {
    const now = hubNow();
    const stations = (snapshot.stations || []).map((station) => ({ station, assessment: assess(station, now) }));
    stations.sort(
      (a, b) =>
        a.assessment.rank - b.assessment.rank ||
        String(a.station.site).localeCompare(String(b.station.site)) ||
        String(a.station.station).localeCompare(String(b.station.station)),
    );
    // The order and the levels depend on the clock too (a sync that grows
    // old): the key covers both, so an unchanged picture is not redrawn.
    const key = JSON.stringify(stations.map(({ station, assessment }) => [station, assessment.level, assessment.rank]));
    if (key === state.keys.stations) return;
    state.keys.stations = key;
    const container = byTestId('stations');
    container.replaceChildren(...stations.map(({ station, assessment }) => stationCard(station, assessment)));
    byTestId('stations-empty').hidden = stations.length > 0;
    tickWithin(container, now);
  }

  // ---- totals ----------------------------------------------------------------

  function setTotal(id, value, level) {
    const node = byTestId(id);
    setText(node, number(value));
    node.dataset.value = count(value) ?? '';
    const tile = node.closest('.total');
    if (level) tile.dataset.level = level;
    else delete tile.dataset.level;
  }

  function renderTotals(snapshot) {
    const totals = snapshot.totals || {};
    const lost = (snapshot.stations || []).filter((station) => !station.online && station.offline_reason !== 'shutdown').length;
    setTotal('total-shipments', totals.shipments_in_shift);
    setTotal('total-exceptions', totals.exceptions_in_shift, totals.exceptions_in_shift > 0 ? 'warn' : null);
    setTotal('total-overrides', totals.overrides_in_shift, totals.overrides_in_shift > 0 ? 'warn' : null);
    setTotal('total-manual', totals.manual_entries_in_shift);
    setTotal('total-abandoned', totals.abandoned_in_shift);
    setTotal('total-online', totals.stations_online, totals.stations_online > 0 ? 'good' : null);
    setTotal('total-offline', totals.stations_offline, lost > 0 ? 'bad' : totals.stations_offline > 0 ? 'warn' : null);
    const shift = count(snapshot.shift_start_ms);
    setText(byTestId('shift'), shift === null ? 'Shift —' : `Shift since ${dateTime(shift)}`);
  }

  // ---- exceptions -------------------------------------------------------------

  function exceptionRow(entry) {
    const kind = entry.kind || 'exception';
    const row = element('li', {
      className: 'exception',
      testid: 'exception-row',
      data: { kind, station: entry.station, check: entry.check || '', reason: entry.reason || '', order: entry.order_id || '' },
    });
    row.append(element('time', { className: 'exception-time', text: clock(entry.at_ms), title: `received by the hub at ${clock(entry.received_at_ms)}` }));
    row.append(
      element('div', { className: 'exception-head' }, [
        element('span', { className: 'kind', text: KIND_NAMES[kind] || kind }),
        element('span', { className: 'exception-station', text: entry.station, title: `site ${entry.site}` }),
        entry.order_id ? element('span', { className: 'exception-order', text: entry.order_id }) : null,
        entry.check ? element('span', { className: 'check', text: entry.check }) : null,
      ]),
    );
    if (kind === 'manual_entry') {
      const detail = Object.fromEntries((entry.details || []).map((item) => [item.key, item.value]));
      const typed = detail.code || entry.message || '';
      row.append(
        element('p', { className: 'exception-reason' }, [
          document.createTextNode('typed by hand: '),
          element('code', { text: typed }),
          detail.step ? document.createTextNode(`at step ${detail.step}`) : null,
        ]),
      );
    } else {
      row.append(
        element('p', { className: 'exception-reason' }, [
          entry.reason ? element('code', { text: entry.reason }) : null,
          entry.message ? document.createTextNode(entry.message) : null,
        ]),
      );
    }
    if (kind === 'override') {
      row.append(
        element('p', {
          className: 'override-line',
          testid: 'override-line',
          text: `Overridden by ${entry.supervisor || 'unknown supervisor'}${entry.override_reason ? `: ${entry.override_reason}` : ''}`,
        }),
      );
    }
    row.append(
      element('div', { className: 'exception-meta' }, [
        element('span', { className: 'field' }, [icon('i-user'), element('span', { text: entry.packer || 'no packer' })]),
        entry.parcel_id !== null && entry.parcel_id !== undefined ? element('span', { text: `parcel ${entry.parcel_id}` }) : null,
      ]),
    );
    return row;
  }

  function renderExceptions(snapshot) {
    const list = snapshot.exceptions || [];
    const key = JSON.stringify(list);
    if (key === state.keys.exceptions) return;
    state.keys.exceptions = key;
    byTestId('exceptions-list').replaceChildren(...list.map(exceptionRow));
    byTestId('exceptions-empty').hidden = list.length > 0;
  }

  // ---- ship-by ------------------------------------------------------------------

  function orderRow(order) {
    const where = [order.recipient_name, [order.city, order.country].filter(Boolean).join(', '), order.carrier ? order.carrier.toUpperCase() : '']
      .filter(Boolean)
      .join(' · ');
    return element('li', { className: 'order', testid: 'shipby-order', data: { bucket: order.bucket, orderId: order.order_id } }, [
      element('span', { className: 'order-bucket', text: BUCKET_NAMES[order.bucket] || order.bucket }),
      element('span', { className: 'order-id', title: `site ${order.site}` }, [
        document.createTextNode(order.order_id),
        order.status === 'on_hold' ? element('span', { className: 'tag hold', text: 'on hold' }) : null,
      ]),
      element('span', { className: 'order-deadline tick', data: { tick: 'deadline', deadlineMs: order.deadline_ms } }),
      element('span', { className: 'order-detail', text: where || '—' }),
      element('span', {
        className: 'order-when',
        text: `${order.deadline_from === 'created_at' ? 'due by' : 'ship by'} ${dateTime(order.deadline_ms)}`,
        title: order.deadline_from === 'created_at' ? 'No ship-by date: created + the hub\'s ship_within_hours' : 'The order\'s ship-by date',
      }),
    ]);
  }

  function renderShipBy(snapshot) {
    const shipBy = snapshot.ship_by || {};
    const key = JSON.stringify(shipBy);
    if (key === state.keys.shipBy) return;
    state.keys.shipBy = key;
    for (const bucket of ['due', 'overdue', 'critical']) {
      const node = byTestId(`shipby-${bucket}`);
      setText(node, number(shipBy[bucket]));
      node.dataset.value = count(shipBy[bucket]) ?? '';
      node.closest('.bucket').dataset.nonzero = shipBy[bucket] > 0 ? 'true' : 'false';
    }
    const orders = shipBy.orders || [];
    const rows = orders.map(orderRow);
    if (shipBy.truncated) {
      const total = (shipBy.due || 0) + (shipBy.overdue || 0) + (shipBy.critical || 0);
      rows.push(element('li', { className: 'truncated', text: `${number(total - orders.length)} more not listed` }));
    }
    byTestId('shipby-orders').replaceChildren(...rows);
    byTestId('shipby-empty').hidden = orders.length > 0;
    setText(byTestId('shipby-note'), shipBy.undated > 0 ? `${number(shipBy.undated)} open without a date` : 'most urgent first');
    tickWithin(byTestId('shipby-orders'), hubNow());
  }

  // ---- throughput charts -------------------------------------------------------

  // One row per series (a station or a packer): a bar per hour of the shift on
  // a scale shared by all rows, the shift's total at the end. Drawn to the
  // box's width in pixels (text stays its size), again when the box resizes.
  function drawChart(box, series, throughput, labelOf) {
    const buckets = Math.max(1, count(throughput.buckets) || 1);
    const width = Math.max(260, Math.floor(box.clientWidth));
    if (series.length === 0) {
      box.replaceChildren(element('p', { className: 'chart-empty', text: 'No parcel confirmed in this shift yet.' }));
      return;
    }
    const labelWidth = Math.round(Math.min(150, Math.max(80, width * 0.2)));
    const totalWidth = 52;
    const plotLeft = labelWidth + 6;
    const plotWidth = Math.max(40, width - plotLeft - totalWidth - 6);
    const rowHeight = series.length > 8 ? 24 : 34;
    const top = 12;
    const axisHeight = 18;
    const height = top + series.length * rowHeight + axisHeight;
    const slot = plotWidth / buckets;
    const barWidth = Math.max(2, slot - Math.min(6, slot * 0.25));
    const max = Math.max(1, ...series.flatMap((entry) => (entry.hours || []).map((hour) => hour.count || 0)));
    const svg = svgElement('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
    svg.append(svgElement('title', {}, `Parcels confirmed per hour, ${series.length} rows, busiest hour ${max}`));

    series.forEach((entry, row) => {
      const label = labelOf(entry);
      const baseline = top + (row + 1) * rowHeight - 4;
      const barSpace = rowHeight - (rowHeight > 30 ? 12 : 8);
      const group = svgElement('g', { 'data-series': label, 'data-total': entry.total || 0 });
      group.append(svgElement('line', { class: 'chart-row-line', x1: plotLeft, y1: baseline + 0.5, x2: plotLeft + plotWidth, y2: baseline + 0.5 }));
      const shown = label.length > 16 ? `${label.slice(0, 15)}…` : label;
      const name = svgElement('text', { class: 'chart-label', x: labelWidth, y: baseline - 6, 'text-anchor': 'end' }, shown);
      name.append(svgElement('title', {}, label));
      group.append(name);
      (entry.hours || []).forEach((hour, index) => {
        const value = hour.count || 0;
        const barHeight = value > 0 ? Math.max(2, Math.round((value / max) * barSpace)) : 1;
        const x = plotLeft + index * slot + (slot - barWidth) / 2;
        const classes = ['chart-bar'];
        if (value === 0) classes.push('zero');
        if (index === buckets - 1) classes.push('current');
        const bar = svgElement('rect', {
          class: classes.join(' '),
          x: x.toFixed(1),
          y: baseline - barHeight,
          width: barWidth.toFixed(1),
          height: barHeight,
          rx: Math.min(2, barWidth / 4),
          'data-count': value,
        });
        bar.append(svgElement('title', {}, `${label}, ${hourMinute(hour.start_ms)}–${hourMinute(hour.start_ms + HOUR_MS)}: ${value} parcel${value === 1 ? '' : 's'}`));
        group.append(bar);
        if (value > 0 && barWidth >= 16 && rowHeight > 30) {
          group.append(svgElement('text', { class: 'chart-count', x: (x + barWidth / 2).toFixed(1), y: baseline - barHeight - 2, 'text-anchor': 'middle' }, value));
        }
      });
      group.append(svgElement('text', { class: 'chart-total', x: width - 4, y: baseline - 6, 'text-anchor': 'end' }, entry.total || 0));
      svg.append(group);
    });

    // Hour marks under the last row, as many as fit.
    const axisY = top + series.length * rowHeight + 13;
    const every = Math.max(1, Math.ceil(42 / slot));
    const first = (series[0].hours || []).map((hour) => hour.start_ms);
    for (let index = 0; index < buckets; index += every) {
      const start = first[index] ?? (count(throughput.shift_start_ms) || 0) + index * HOUR_MS;
      svg.append(svgElement('text', { class: 'chart-axis', x: (plotLeft + index * slot + 1).toFixed(1), y: axisY }, hourMinute(start)));
    }
    svg.append(svgElement('text', { class: 'chart-axis', x: width - 4, y: axisY, 'text-anchor': 'end' }, 'total'));
    box.replaceChildren(svg);
  }

  function renderCharts(snapshot, force = false) {
    const throughput = snapshot.throughput || {};
    const key = JSON.stringify(throughput);
    const stationsBox = byTestId('chart-stations');
    const packersBox = byTestId('chart-packers');
    const widths = { stations: stationsBox.clientWidth, packers: packersBox.clientWidth };
    if (!force && key === state.keys.throughput && widths.stations === state.chartWidths.stations && widths.packers === state.chartWidths.packers) return;
    state.keys.throughput = key;
    state.chartWidths = widths;
    const severalSites = new Set((throughput.stations || []).map((entry) => entry.site)).size > 1;
    drawChart(stationsBox, throughput.stations || [], throughput, (entry) => (severalSites ? `${entry.station} (${entry.site})` : entry.station));
    drawChart(packersBox, throughput.packers || [], throughput, (entry) => entry.packer || '(none)');
    stationsBox.dataset.total = (throughput.stations || []).reduce((sum, entry) => sum + (entry.total || 0), 0);
    packersBox.dataset.total = (throughput.packers || []).reduce((sum, entry) => sum + (entry.total || 0), 0);
  }

  // ---- ticking ages ------------------------------------------------------------

  function tickNode(node, now) {
    const data = node.dataset;
    if (data.tick === 'since') {
      const since = Number(data.sinceMs);
      setText(node, `since ${clock(since)} · ${duration(now - since)}`);
    } else if (data.tick === 'sync') {
      const text = node.querySelector('.age-text');
      let level = 'ok';
      if (data.online !== 'true') {
        setText(text, data.heardMs ? `last heard ${clock(Number(data.heardMs))}` : 'not heard');
        level = 'none';
      } else if (data.never === 'true' || !data.syncMs) {
        setText(text, 'never synced');
        level = Number(data.backlog) > 0 ? 'warn' : 'ok';
      } else {
        const age = now - Number(data.syncMs);
        setText(text, `synced ${duration(age)} ago`);
        if (Number(data.backlog) > 0) level = age >= SYNC_BAD_MS ? 'bad' : age >= SYNC_WARN_MS ? 'warn' : 'ok';
      }
      node.dataset.level = level;
      const backlog = node.closest('.sync-line')?.querySelector('.backlog');
      if (backlog) backlog.dataset.level = Number(data.backlog) > 0 ? level : 'ok';
    } else if (data.tick === 'deadline') {
      const left = Number(data.deadlineMs) - now;
      setText(node, left > 0 ? `in ${duration(left)}` : `${duration(-left)} late`);
    }
  }

  function tickWithin(root, now) {
    for (const node of root.querySelectorAll('.tick')) tickNode(node, now);
  }

  function tick() {
    const now = hubNow();
    tickWithin(document, now);
    // Levels that depend on the clock (a sync growing old) re-sort the cards.
    if (state.snapshot) renderStations(state.snapshot);
    if (state.connection === 'live' && Date.now() - state.lastSnapshotAtMs > SILENCE_MS) {
      setConnection('reconnecting');
      connect();
    }
    updateLiveText();
  }

  // ---- the snapshot ----------------------------------------------------------------

  function apply(snapshot) {
    if (!snapshot || typeof snapshot !== 'object') return;
    if (state.snapshot && snapshot.generated_at_ms < state.snapshot.generated_at_ms) return; // an older one
    noteHubTime(snapshot.generated_at_ms);
    state.snapshot = snapshot;
    state.lastSnapshotAtMs = Date.now();
    renderTotals(snapshot);
    renderStations(snapshot);
    renderExceptions(snapshot);
    renderShipBy(snapshot);
    renderCharts(snapshot);
    document.body.classList.remove('is-loading');
    updateLiveText();
  }

  // ---- connection ---------------------------------------------------------------------

  function setConnection(connection) {
    state.connection = connection;
    byTestId('live-indicator').dataset.state = connection;
    document.body.classList.toggle('is-stale', connection !== 'live' && state.snapshot !== null);
    updateLiveText();
  }

  function updateLiveText() {
    const node = byTestId('live-indicator').querySelector('.live-text');
    if (state.connection === 'live') setText(node, 'Live');
    else if (state.connection === 'connecting') setText(node, 'Connecting…');
    else if (state.connection === 'signed-out') setText(node, 'Signed out');
    else if (state.snapshot) setText(node, `Reconnecting… data from ${clock(state.snapshot.generated_at_ms)}`);
    else setText(node, 'Reconnecting…');
  }

  function toLogin(reason) {
    if (state.leaving) return;
    state.leaving = true;
    if (state.source) state.source.close();
    clearTimeout(state.reconnectTimer);
    setConnection('signed-out');
    location.replace(`/login.html${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`);
  }

  function scheduleReconnect() {
    clearTimeout(state.reconnectTimer);
    const delay = state.reconnectDelayMs;
    state.reconnectDelayMs = Math.min(RECONNECT_MAX_MS, state.reconnectDelayMs * 2);
    state.reconnectTimer = setTimeout(checkThenConnect, delay);
  }

  // After the stream failed for good (EventSource gave up: the hub answered
  // other than 200, e.g. 401 once the session ended): signed out, or try again.
  async function checkThenConnect() {
    if (state.leaving) return;
    try {
      const response = await fetch('/api/me', { cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) {
        toLogin('expired');
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      connect();
    } catch {
      setConnection('reconnecting');
      scheduleReconnect();
    }
  }

  function connect() {
    if (state.leaving) return;
    clearTimeout(state.reconnectTimer);
    if (state.source) state.source.close();
    const source = new EventSource('/events');
    state.source = source;
    // A reconnect counts as live from its first snapshot on, not from open.
    state.lastSnapshotAtMs = Date.now();
    source.addEventListener('open', () => {
      if (state.source !== source) return;
      state.reconnectDelayMs = RECONNECT_MIN_MS;
      setConnection('live');
    });
    source.addEventListener('snapshot', (event) => {
      if (state.source !== source) return;
      let snapshot = null;
      try {
        snapshot = JSON.parse(event.data);
      } catch {
        return;
      }
      if (state.connection !== 'live') setConnection('live');
      apply(snapshot);
    });
    source.addEventListener('session', () => {
      if (state.source === source) toLogin('expired');
    });
    source.addEventListener('error', () => {
      if (state.source !== source || state.leaving) return;
      setConnection('reconnecting');
      // CONNECTING: the browser tries again by itself. CLOSED: it gave up.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        scheduleReconnect();
      }
    });
  }

  async function signOut() {
    const button = byTestId('sign-out');
    button.disabled = true;
    state.leaving = true;
    if (state.source) state.source.close();
    try {
      await fetch('/api/logout', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
    } catch {
      // The cookie goes with the page anyway; the hub expires the session.
    }
    setConnection('signed-out');
    location.replace('/login.html?reason=signed-out');
  }

  async function start() {
    let me;
    try {
      const response = await fetch('/api/me', { cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) {
        toLogin();
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      me = await response.json();
    } catch {
      setConnection('reconnecting');
      setTimeout(start, 3000);
      return;
    }
    const who = byTestId('who');
    setText(who.querySelector('.who-name'), me.display_name || me.username);
    who.title = `Signed in as ${me.username}`;
    // The first picture at once; the stream follows with every change.
    try {
      const response = await fetch('/api/snapshot', { cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 401) {
        toLogin('expired');
        return;
      }
      if (response.ok) apply(await response.json());
    } catch {
      // The stream brings it.
    }
    connect();
    setInterval(tick, 1000);
    const resized = () => state.snapshot && renderCharts(state.snapshot);
    if (typeof ResizeObserver === 'function') {
      const observer = new ResizeObserver(resized);
      observer.observe(byTestId('chart-stations'));
      observer.observe(byTestId('chart-packers'));
    } else {
      window.addEventListener('resize', resized);
    }
  }

  function init() {
    byTestId('sign-out').addEventListener('click', signOut);
    start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
