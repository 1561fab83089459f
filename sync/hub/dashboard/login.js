// Sign-in page of the supervisor dashboard: sends the user name and password
// as JSON (POST /api/login); on success the hub sets the session cookie and
// the page goes to the dashboard. Plain ES2020, no framework, no build step.
'use strict';

(() => {
  const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

  // What the page says for each refusal (the hub's codes, docs/hub.md).
  const MESSAGES = {
    'auth.invalid': { kind: 'invalid', text: 'Wrong user name or password.' },
    'auth.throttled': {
      kind: 'throttled',
      text: 'Too many failed attempts from this device. Wait a moment and try again.',
    },
    'auth.disabled': { kind: 'disabled', text: 'This account is disabled. Ask whoever runs the hub to enable it.' },
  };
  const NOTICES = {
    expired: 'Your session ended. Sign in again.',
    'signed-out': 'You signed out.',
  };

  const form = byTestId('login-form');
  const username = byTestId('login-username');
  const password = byTestId('login-password');
  const submit = byTestId('login-submit');
  const error = byTestId('login-error');
  const notice = byTestId('login-notice');
  // For tests and the curious: how the last attempt ended.
  const login = { attempts: 0, last: null };
  window.packlineLogin = login;

  function showError(kind, text) {
    error.dataset.kind = kind;
    error.textContent = text;
    error.hidden = false;
    const credentials = kind === 'invalid' || kind === 'missing';
    username.setAttribute('aria-invalid', credentials && !username.value.trim() ? 'true' : 'false');
    password.setAttribute('aria-invalid', credentials ? 'true' : 'false');
  }

  function clearError() {
    error.hidden = true;
    error.textContent = '';
    delete error.dataset.kind;
    username.removeAttribute('aria-invalid');
    password.removeAttribute('aria-invalid');
  }

  async function signIn(event) {
    event.preventDefault();
    if (submit.disabled) return;
    const name = username.value.trim();
    if (!name || !password.value) {
      showError('missing', 'Enter your user name and your password.');
      (name ? password : username).focus();
      return;
    }
    clearError();
    notice.hidden = true;
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = 'Signing in…';
    login.attempts += 1;
    try {
      const response = await fetch('/api/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: name, password: password.value }),
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (response.ok) {
        login.last = 'signed-in';
        location.replace('/');
        return;
      }
      let code = '';
      let message = '';
      try {
        const body = await response.json();
        code = (body && body.error && body.error.code) || '';
        message = (body && body.error && body.error.message) || '';
      } catch {
        // Not JSON: say what the status says.
      }
      login.last = code || `HTTP ${response.status}`;
      const known = MESSAGES[code] ||
        (response.status === 429 ? MESSAGES['auth.throttled'] : response.status === 401 ? MESSAGES['auth.invalid'] : null);
      if (known) showError(known.kind, known.text);
      else showError('other', `The hub refused the sign-in (${message || `HTTP ${response.status}`}).`);
      password.value = '';
      password.focus();
    } catch {
      login.last = 'unreachable';
      showError('unreachable', 'The hub cannot be reached. Check the network and try again.');
    } finally {
      submit.disabled = false;
      submit.textContent = label;
    }
  }

  async function init() {
    form.addEventListener('submit', signIn);
    for (const input of [username, password]) input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
    const reason = new URLSearchParams(location.search).get('reason');
    if (reason && NOTICES[reason]) {
      notice.textContent = NOTICES[reason];
      notice.hidden = false;
    }
    username.focus();
    // Already signed in (a bookmark, the back button): straight on.
    if (!reason) {
      try {
        const response = await fetch('/api/me', { cache: 'no-store', credentials: 'same-origin' });
        if (response.ok) location.replace('/');
      } catch {
        // The form says so when it is used.
      }
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
