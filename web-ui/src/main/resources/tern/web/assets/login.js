// The sign-in form: the admin token buys a session cookie (HttpOnly: this page never sees it).
import { call } from './api.js';

const form = document.getElementById('login');
const problem = document.getElementById('login-error');

form.addEventListener('submit', async e => {
  e.preventDefault();
  problem.hidden = true;
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    await call('POST', '/ui/login', { token: form.token.value });
    location.assign('/');
  } catch (err) {
    problem.textContent = err.message;
    problem.hidden = false;
    form.token.select();
  } finally {
    button.disabled = false;
  }
});
