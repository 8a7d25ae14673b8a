/**
 * The pages' only script: optional comfort (show/hide password, no double submit). Every page works
 * without it; it is served under a content-hashed name and allowed by CSP `script-src 'self'`.
 */
export const SCRIPT = `
(function () {
  'use strict';
  document.querySelectorAll('[data-toggle-password]').forEach(function (button) {
    var input = document.getElementById(button.getAttribute('data-toggle-password'));
    if (!input) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', show ? 'true' : 'false');
    });
  });
  document.querySelectorAll('form[data-busy]').forEach(function (form) {
    form.addEventListener('submit', function () {
      var submit = form.querySelector('button[type=submit]');
      if (!submit) return;
      window.setTimeout(function () {
        submit.disabled = true;
        submit.textContent = form.getAttribute('data-busy');
      }, 0);
    });
  });
})();
`;
