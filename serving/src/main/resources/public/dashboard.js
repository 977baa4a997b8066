// The dashboard: two ECharts charts and the completeness table over the serving API, refreshed every 5 s. When the API
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
  // What the page last drew; read by the browser test and handy in the console.
  const state = window.dashboard = { refreshes: 0, hourlyWindows: 0, dailyWindows: 0, completenessHours: 0,
    incompleteHours: 0, horizon: null, error: null, needsLogin: false };
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
      const [status, hourly, daily, completeness] = await Promise.all([
        get('/api/v1/status'),
        get('/api/v1/activity/hourly?from=' + isoHour(now - hours * HOUR) + '&to=' + isoHour(now + HOUR)),
        get('/api/v1/devices/daily?from=' + isoDay(now - (days - 1) * 24 * HOUR) + '&to=' + isoDay(now)),
        get('/api/v1/completeness?from=' + isoHour(now - hours * HOUR) + '&to=' + isoHour(now + HOUR))
      ]);
      drawStatus(status);
      drawHourly(hourly);
      drawDaily(daily);
      drawCompleteness(completeness);
      state.error = null;
    } catch (e) {
      if (e instanceof Unauthorized) {
        sessionStorage.removeItem(TOKEN_KEY);
        const rejected = token !== null;
        token = null;
        showLogin(rejected ? 'That token was not accepted.' : '');
        return;
      }
      state.error = String(e.message || e);
      const el = document.getElementById('status');
      el.classList.add('error');
      el.textContent = 'cannot load data: ' + state.error;
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
  window.addEventListener('resize', () => { hourlyChart.resize(); dailyChart.resize(); });
  start();
}());
