// Sagak web chat client: plain script, no bundler. Every text goes in with textContent, never parsed as HTML.
(() => {
  'use strict';
  const ENDPOINT = '/chat/api/messages';
  const MAX_TEXT = 4000;
  const log = document.getElementById('log');
  const choices = document.getElementById('choices');
  const status = document.getElementById('status');
  const form = document.getElementById('composer');
  const input = document.getElementById('message');
  const sendButton = document.getElementById('send');

  // A fresh id per message, reused if the message must be sent again, so the server runs it once.
  const newClientId = () => {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  const bubble = (text, who) => {
    const p = document.createElement('p');
    p.className = `bubble ${who}`;
    p.textContent = text;
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
  };

  const showChoices = (list) => {
    choices.replaceChildren();
    for (const c of list) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = c.title;
      b.addEventListener('click', () => send({ type: 'message', text: c.title, choice: c.payload }, c.title));
      choices.appendChild(b);
    }
  };

  const setBusy = (busy) => {
    sendButton.disabled = busy;
    for (const b of choices.querySelectorAll('button')) b.disabled = busy;
    log.setAttribute('aria-busy', String(busy));
    status.textContent = busy ? '답변을 기다리는 중…' : '';
  };

  const post = (body) =>
    fetch(ENDPOINT, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  let busy = false;
  async function send(message, shown) {
    if (busy) return;
    busy = true;
    if (shown !== undefined) bubble(shown, 'user');
    if (message.type === 'message') message.clientId = newClientId();
    setBusy(true);
    try {
      let res;
      try {
        res = await post(message);
      } catch {
        res = await post(message); // one retry on a network error; the same clientId makes it safe
      }
      if (!res.ok) {
        bubble(res.status === 400 || res.status === 413 ? '보낼 수 없는 메시지입니다. 4,000자 이내의 글로 다시 입력해 주세요.' : '잠시 후 다시 시도해 주세요.', 'error');
        return;
      }
      const replies = await res.json();
      let last = [];
      for (const r of replies) {
        if (r.text) bubble(r.text, 'bot');
        if (Array.isArray(r.quick_replies)) last = r.quick_replies;
      }
      showChoices(last);
    } catch {
      bubble('연결할 수 없습니다. 인터넷 연결을 확인하고 다시 시도해 주세요.', 'error');
    } finally {
      busy = false;
      setBusy(false);
      // A pressed button was replaced by the new ones: keep keyboard users in the conversation.
      if (shown !== undefined && (!document.activeElement || document.activeElement === document.body)) input.focus();
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return; // while waiting, keep what was typed in the box
    if (text.length > MAX_TEXT) {
      bubble('4,000자 이내로 입력해 주세요.', 'error');
      return;
    }
    input.value = '';
    void send({ type: 'message', text }, text);
    input.focus();
  });
  // Enter sends, Shift+Enter breaks the line (as in messengers).
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // On load (and reload) ask where the conversation is; the cookie says who we are.
  void send({ type: 'hello' });
})();
