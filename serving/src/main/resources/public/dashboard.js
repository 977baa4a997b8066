// The dashboard: the pipeline-health panel, the employee search, two ECharts charts and the completeness table over
// the serving API, refreshed every 5 s. When the API
// answers 401 (auth.token set), the sign-in form asks for the token; it is kept in sessionStorage (this tab only, gone
// when it closes) and sent as a bearer token on every fetch, never put in a URL (URLs end up in logs and histories).
(function () {
  'use strict';
  const REFRESH_MS = 5000;
  const HOUR = 3600 * 1000;
  const TOKEN_KEY = 'activityPipelineToken';
  localStorage.removeItem(TOKEN_KEY); // where older versions kept it, for good
  let token = sessionStorage.getItem(TOKEN_KEY);
  const hourlyChart = echarts.init(document.getElementById('hourly'));
  const dailyChart = echarts.init(document.getElementById('daily'));
  const lateChart = echarts.init(document.getElementById('late'));
  // What the page last drew; read by the browser test and handy in the console.
  const state = window.dashboard = { refreshes: 0, hourlyWindows: 0, dailyWindows: 0, completenessHours: 0,
    incompleteHours: 0, horizon: null, error: null, needsLogin: false, healthStages: 0, stagesWithRate: [],
    deadLetters: 0, deadLetterReasons: [], lateActivities: 0, freshnessSeconds: null, searchHits: null,
    profileId: null, profileActivities: 0 };
  // A stage this far behind (seconds) is marked; the freshness badge turns red past it too.
  const BEHIND_SECONDS = 300;
  // Enough distinct colours for every department (ECharts' default palette repeats after nine).
  const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
    '#9c755f', '#bab0ac', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#bcbd22', '#7f7f7f'];
  const speedStyle = { opacity: 0.45, decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: -0.785 } };

  // The API refused the token (or there is none): the sign-in form is shown.
  class Unauthorized extends Error {}

  async function get(path) {
    const res = await fetch(path, { headers: token ? { Authorization: 'Bearer ' + token } : {} });
    if (res.status === 401) {
      throw new Unauthorized('the API needs a valid token');
    }
    const body = await res.json();
    if (!res.ok) {
      throw new Error(body.message || res.status + ' ' + res.statusText);
    }
    return body;
  }

  function isoHour(ms) {
    return new Date(Math.floor(ms / HOUR) * HOUR).toISOString().replace('.000Z', 'Z');
  }

  function isoDay(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  // The boundary between the layers, drawn on a hidden value axis laid over the category axis
  // (category i spans [i, i + 1] there): a dashed line in the gap before the first category the
  // speed layer serves, and the speed side shaded.
  function boundary(categories, firstSpeed, label) {
    const at = categories.indexOf(firstSpeed);
    return {
      name: 'boundary', type: 'line', xAxisIndex: 1, data: [], silent: true,
      markLine: {
        symbol: 'none', lineStyle: { type: 'dashed', color: '#333' },
        label: { formatter: label, position: 'insideEndTop' }, data: [{ xAxis: at }]
      },
      markArea: {
        itemStyle: { color: 'rgba(120, 140, 170, 0.10)' },
        label: { show: true, position: 'insideTop', formatter: 'speed layer', color: '#667' },
        data: [[{ xAxis: at }, { xAxis: categories.length }]]
      }
    };
  }

  function overlayAxis(categories) {
    return { type: 'value', min: 0, max: categories.length, show: false };
  }

  function hourLabel(iso) {
    return iso.slice(5, 10) + ' ' + iso.slice(11, 16);
  }

  function drawHourly(body) {
    // One stacked bar per hour and department (all activity types summed); solid from batch, pale
    // from speed. A category per hour of the range keeps every department's bars aligned for stacking.
    const hours = [];
    for (let ms = Date.parse(body.from); ms < Date.parse(body.to); ms += HOUR) {
      hours.push(isoHour(ms));
    }
    const departments = [...new Set(body.windows.map(w => w.department))].sort();
    const cells = new Map();
    for (const w of body.windows) {
      const key = w.department + '\u0000' + isoHour(Date.parse(w.window_start));
      const c = cells.get(key) || { count: 0, source: w.source };
      c.count += w.event_count;
      cells.set(key, c);
    }
    const firstSpeed = body.horizon ? isoHour(Date.parse(body.horizon)) : hours[0];
    const series = departments.map(dept => ({
      name: dept, type: 'bar', stack: 'events', emphasis: { focus: 'series' },
      data: hours.map(h => {
        const c = cells.get(dept + '\u0000' + h);
        return c ? { value: c.count, itemStyle: c.source === 'speed' ? speedStyle : {} } : null;
      })
    }));
    if (hours.includes(firstSpeed)) {
      series.push(boundary(hours, firstSpeed, 'batch horizon'));
    }
    hourlyChart.setOption({
      animation: false, color: palette,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', top: 0, data: departments },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: [{ type: 'category', data: hours, axisLabel: { formatter: hourLabel } }, overlayAxis(hours)],
      yAxis: { type: 'value', name: 'events' },
      series
    }, { notMerge: true });
    state.hourlyFirstSpeed = firstSpeed;
    state.hourlyWindows = body.windows.length;
    state.hourlyServed = body.served;
  }

  function drawDaily(body) {
    const days = [];
    for (let ms = Date.parse(body.from + 'T00:00:00Z'); ms <= Date.parse(body.to + 'T00:00:00Z'); ms += 24 * HOUR) {
      days.push(isoDay(ms));
    }
    const devices = [...new Set(body.windows.map(w => w.device_type))].sort();
    const byKey = new Map(body.windows.map(w => [w.device_type + '\u0000' + w.day, w]));
    // A day is the speed layer's until the horizon passes its midnight.
    const firstSpeed = body.horizon ? isoDay(Date.parse(body.horizon)) : days[0];
    const series = devices.map(device => ({
      name: device, type: 'bar',
      data: days.map(day => {
        const w = byKey.get(device + '\u0000' + day);
        return w ? { value: w.event_count, itemStyle: w.source === 'speed' ? speedStyle : {} } : null;
      })
    }));
    if (days.includes(firstSpeed)) {
      series.push(boundary(days, firstSpeed, 'batch horizon'));
    }
    dailyChart.setOption({
      animation: false, color: palette,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: devices },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: [{ type: 'category', data: days }, overlayAxis(days)],
      yAxis: { type: 'value', name: 'events' },
      series
    }, { notMerge: true });
    state.dailyWindows = body.windows.length;
    state.dailyServed = body.served;
  }

  // The reconciliation's hours as table rows (textContent only: nothing from the API becomes markup).
  function drawCompleteness(body) {
    const tbody = document.querySelector('#completeness tbody');
    tbody.replaceChildren();
    let incomplete = 0;
    for (const h of body.hours.slice().reverse()) {
      const tr = document.createElement('tr');
      if (!h.complete) {
        tr.className = 'gap';
        incomplete++;
      }
      for (const v of [hourLabel(h.hour), h.source_rows, h.rejected, h.in_kafka, h.repaired, h.unrepaired, h.in_hudi,
        h.not_in_hudi, new Date(h.checked_at).toLocaleTimeString()]) {
        const td = document.createElement('td');
        td.textContent = String(v);
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    }
    const t = body.totals;
    document.getElementById('completeness-totals').textContent = t.hours_checked === 0
      ? 'no hour checked yet'
      : t.hours_checked + ' hours: ' + t.source_rows + ' rows, ' + t.repaired + ' repaired, ' + t.unrepaired
        + ' missing from Kafka, ' + t.not_in_hudi + ' not yet in Hudi, ' + t.rejected + ' rejected';
    state.completenessHours = body.hours.length;
    state.incompleteHours = incomplete;
  }

  // One element with a class and text (textContent only: nothing from the API becomes markup).
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = String(text);
    }
    return e;
  }

  function fmtRate(v) {
    return v == null ? '–' : (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + '/s';
  }

  function fmtCount(v) {
    return v == null ? '–' : Math.round(v).toLocaleString('en');
  }

  function fmtAge(s) {
    if (s == null) {
      return '–';
    }
    if (s < 60) {
      return s.toFixed(1) + ' s';
    }
    if (s < 3600) {
      return (s / 60).toFixed(1) + ' min';
    }
    return s < 2 * 86400 ? (s / 3600).toFixed(1) + ' h' : (s / 86400).toFixed(1) + ' d';
  }

  function stageBox(s) {
    const behind = s.lag_seconds != null && s.lag_seconds > BEHIND_SECONDS;
    const box = el('div', 'stage ' + s.state + (behind ? ' behind' : ''));
    box.dataset.stage = s.chain + '/' + s.id;
    box.title = s.state === 'not_watched' ? 'no health.targets entry for ' + s.process
      : s.state === 'down' ? s.process + ' does not answer on /metrics' : s.process + ': ' + s.metrics.join(', ');
    box.appendChild(el('div', 'name', s.id + (s.state === 'up' ? '' : ' · ' + s.state.replace('_', ' '))));
    box.appendChild(el('div', 'route', s.from + ' → ' + s.to));
    box.appendChild(el('div', 'figures', fmtRate(s.rate_per_second) + ' · lag ' + fmtCount(s.lag_records)
      + (s.lag_records == null ? '' : ' rec') + ' / ' + fmtAge(s.lag_seconds)));
    if (s.dead_letters > 0) {
      box.appendChild(el('div', 'dlq', s.dead_letters + ' dead letter' + (s.dead_letters === 1 ? '' : 's')));
    }
    return box;
  }

  function drawHealth(h) {
    for (const chain of ['activities', 'employees']) {
      const row = document.getElementById('stages-' + chain);
      row.replaceChildren();
      h.stages.filter(s => s.chain === chain).forEach((s, i) => {
        if (i > 0) {
          row.appendChild(el('span', 'arrow', '→'));
        }
        row.appendChild(stageBox(s));
      });
    }
    const watched = h.targets.filter(t => t.process !== 'serving');
    document.getElementById('health-targets').textContent = watched.length === 0
      ? 'No process metrics are read (health.targets is unset): rates and lags are unknown.'
      : 'Metrics read from: ' + watched.map(t => t.process + (t.instance > 1 ? ' #' + t.instance : '')
        + (t.up ? ' (up)' : ' (DOWN: ' + t.error + ')')).join(', ') + '.';

    const tbody = document.querySelector('#dead-letters tbody');
    tbody.replaceChildren();
    for (const stage of h.dead_letters) {
      const e = stage.latest[0];
      const tr = el('tr');
      tr.appendChild(el('td', null, stage.stage));
      tr.appendChild(el('td', null, stage.count));
      tr.appendChild(el('td', 'reason', e.reason));
      tr.appendChild(el('td', null, e.source_topic == null ? 'source row'
        : e.source_topic + ' p' + e.source_partition + ' @' + e.source_offset));
      tr.appendChild(el('td', null, new Date(e.at).toLocaleString()));
      tbody.appendChild(tr);
    }
    document.getElementById('dlq-total').textContent = h.dead_letters_total === 0 ? 'none'
      : h.dead_letters_total + ' in all';
    document.getElementById('dlq-since').textContent = new Date(h.dead_letters_since).toLocaleString();

    const lateTotal = h.late_per_hour.reduce((n, x) => n + x.count, 0);
    document.getElementById('late-total').textContent = lateTotal + ' in ' + h.late_per_hour.length + ' h';
    lateChart.setOption({
      animation: false, grid: { left: 40, right: 10, top: 10, bottom: 25 }, tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: h.late_per_hour.map(x => hourLabel(x.hour)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: 'late activities', type: 'bar', color: '#e15759', data: h.late_per_hour.map(x => x.count) }]
    }, { notMerge: true });

    const c = h.completeness;
    document.getElementById('health-completeness').textContent = c.hours_checked === 0
      ? 'Completeness: no ingest hour of the last day checked yet.'
      : 'Completeness, last day: ' + c.hours_checked + ' ingest hours checked, ' + c.source_rows + ' rows in Cassandra, '
        + c.rejected + ' rejected, ' + c.repaired + ' repaired, ' + c.unrepaired + ' missing from Kafka, '
        + c.not_in_hudi + ' not yet in Hudi' + (c.incomplete_hours > 0 ? ' (' + c.incomplete_hours + (c.incomplete_hours === 1 ? ' hour' : ' hours')
          + ' incomplete).' : '.');

    const f = h.freshness;
    const badge = document.getElementById('freshness');
    badge.textContent = 'newest speed data ' + fmtAge(f.speed_age_seconds) + ' old · batch horizon '
      + fmtAge(f.batch_horizon_age_seconds) + ' old';
    badge.classList.toggle('stale', f.speed_age_seconds == null || f.speed_age_seconds > BEHIND_SECONDS);

    state.healthStages = h.stages.length;
    state.stagesWithRate = h.stages.filter(s => s.rate_per_second > 0).map(s => s.chain + '/' + s.id);
    state.deadLetters = h.dead_letters_total;
    state.deadLetterReasons = h.dead_letters.flatMap(s => s.latest.map(e => s.stage + ': ' + e.reason));
    state.lateActivities = lateTotal;
    state.freshnessSeconds = f.speed_age_seconds;
  }

  async function search(q) {
    const body = await get('/api/v1/employees?q=' + encodeURIComponent(q));
    const list = document.getElementById('employee-results');
    list.replaceChildren();
    for (const m of body.employees) {
      const li = el('li');
      const b = el('button', null, m.last_name + ', ' + m.first_name + ' · ' + (m.department_name || 'no department')
        + ' · #' + m.employee_id);
      b.type = 'button';
      b.dataset.employeeId = m.employee_id;
      b.addEventListener('click', () => openProfile(m.employee_id).catch(failed));
      li.appendChild(b);
      list.appendChild(li);
    }
    if (body.employees.length === 0) {
      list.appendChild(el('li', 'legend', 'No current employee matches.'));
    } else if (body.more) {
      list.appendChild(el('li', 'legend', 'More match: narrow the search.'));
    }
    state.searchHits = body.employees.length;
  }

  async function openProfile(id) {
    const p = await get('/api/v1/employees/' + encodeURIComponent(id));
    const e = p.employee;
    document.getElementById('profile-name').textContent = e.first_name + ' ' + e.last_name + ' (#' + e.employee_id + ')';
    const dl = document.getElementById('profile-fields');
    dl.replaceChildren();
    for (const [label, v] of [['department', e.department_name], ['job title', e.job_title], ['location', e.location],
      ['status', e.status], ['e-mail', e.email], ['salary band', e.salary_band], ['hired', e.hire_date],
      ['manager', e.manager_id == null ? null : '#' + e.manager_id], ['last change', e.source_time],
      ['changed', (e.changed_fields || []).join(', ')]]) {
      dl.appendChild(el('dt', null, label));
      dl.appendChild(el('dd', null, v == null || v === '' ? '–' : v));
    }
    const tbody = document.querySelector('#profile-activity tbody');
    tbody.replaceChildren();
    for (const a of p.recent_activity) {
      const tr = el('tr');
      for (const v of [new Date(a.event_time).toLocaleString(), a.activity_type, a.device_type, a.location,
        a.duration_seconds + ' s', a.department_name]) {
        tr.appendChild(el('td', null, v == null ? '–' : v));
      }
      tbody.appendChild(tr);
    }
    if (p.recent_activity.length === 0) {
      const tr = el('tr');
      const td = el('td', 'legend', 'No recent activity in the speed layer.');
      td.colSpan = 6;
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
    document.getElementById('employee-profile').hidden = false;
    state.profileId = e.employee_id;
    state.profileActivities = p.recent_activity.length;
  }

  function failed(e) {
    if (e instanceof Unauthorized) {
      sessionStorage.removeItem(TOKEN_KEY);
      const rejected = token !== null;
      token = null;
      showLogin(rejected ? 'That token was not accepted.' : '');
      return;
    }
    state.error = String(e.message || e);
    const statusLine = document.getElementById('status');
    statusLine.classList.add('error');
    statusLine.textContent = 'cannot load data: ' + state.error;
  }

  document.getElementById('employee-search').addEventListener('submit', event => {
    event.preventDefault();
    const q = document.getElementById('employee-q').value.trim();
    if (q !== '' && !state.needsLogin) {
      search(q).catch(failed);
    }
  });

  function drawStatus(status) {
    const el = document.getElementById('status');
    el.classList.remove('error');
    el.textContent = 'batch horizon ' + (status.horizon || 'none yet')
      + ' · last batch commit ' + (status.last_batch_ingest_commit || 'none yet')
      + ' · speed windows ' + status.speed_hourly_windows + ' hourly / ' + status.speed_daily_windows + ' daily'
      + (status.lakehouse_reachable ? '' : ' · lakehouse unreachable')
      + ' · updated ' + new Date().toLocaleTimeString();
    state.horizon = status.horizon;
  }

  function showLogin(message) {
    state.needsLogin = true;
    document.getElementById('login').hidden = false;
    document.getElementById('login-error').textContent = message;
    document.getElementById('token').focus();
  }

  document.getElementById('login-form').addEventListener('submit', event => {
    event.preventDefault();
    token = document.getElementById('token').value.trim();
    sessionStorage.setItem(TOKEN_KEY, token);
    document.getElementById('token').value = '';
    document.getElementById('login').hidden = true;
    state.needsLogin = false;
    refresh();
  });

  async function refresh() {
    if (state.needsLogin) {
      return; // nothing to show until the form is submitted
    }
    try {
      const now = Date.now();
      const hours = Number(document.getElementById('hours').value);
      const days = Number(document.getElementById('days').value);
      const [status, health, hourly, daily, completeness] = await Promise.all([
        get('/api/v1/status'),
        get('/api/v1/pipeline/health'),
        get('/api/v1/activity/hourly?from=' + isoHour(now - hours * HOUR) + '&to=' + isoHour(now + HOUR)),
        get('/api/v1/devices/daily?from=' + isoDay(now - (days - 1) * 24 * HOUR) + '&to=' + isoDay(now)),
        get('/api/v1/completeness?from=' + isoHour(now - hours * HOUR) + '&to=' + isoHour(now + HOUR))
      ]);
      drawStatus(status);
      drawHealth(health);
      drawHourly(hourly);
      drawDaily(daily);
      drawCompleteness(completeness);
      state.error = null;
    } catch (e) {
      failed(e);
      if (e instanceof Unauthorized) {
        return;
      }
    }
    state.refreshes++;
  }

  // Asks whether a token is needed first, so a first visit shows the form instead of failing requests.
  async function start() {
    try {
      const res = await fetch('/api/v1/auth');
      const auth = await res.json();
      if (auth.token_required && token === null) {
        showLogin('');
      }
    } catch (e) {
      state.error = String(e.message || e);
    }
    refresh();
    setInterval(refresh, REFRESH_MS);
  }

  document.getElementById('hours').addEventListener('change', refresh);
  document.getElementById('days').addEventListener('change', refresh);
  window.addEventListener('resize', () => { hourlyChart.resize(); dailyChart.resize(); lateChart.resize(); });
  start();
}());
