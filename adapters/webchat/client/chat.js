// Sagak web chat client: plain script, no bundler. Every text goes in with textContent, never parsed as HTML.
(() => {
  'use strict';
  const ENDPOINT = '/chat/api/messages';
  const log = document.getElementById('log');
  const choices = document.getElementById('choices');
  const status = document.getElementById('status');
  const form = document.getElementById('composer');
  const input = document.getElementById('message');
  const sendButton = document.getElementById('send');
  const chat = document.querySelector('.chat');
  // receipt numbers (2026-000123) and phone numbers (010-1234-5678) never break at a dash
  const UNBREAKABLE = /\d{4}-\d{6}|0\d{1,3}-\d{3,4}-\d{4}/g;
  // "접수번호: 2026-000123" in an answer: the number also gets its own card with a copy button
  const RECEIPT = /접수번호:?\s*(\d{4}-\d{6})/;
  // the server's re-prompt for a message over the limit: what was typed goes back into the box
  const TOO_LONG = '보내신 메시지가 너무 깁니다';

  // A fresh id per message, reused if the message must be sent again, so the server runs it once.
  const newClientId = () => {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  // Text nodes only; numbers with dashes go in a no-wrap span so they never break at a dash.
  const fillText = (el, text) => {
    let at = 0;
    for (const m of text.matchAll(UNBREAKABLE)) {
      el.append(text.slice(at, m.index));
      const span = document.createElement('span');
      span.className = 'nowrap';
      span.textContent = m[0];
      el.append(span);
      at = m.index + m[0].length;
    }
    el.append(text.slice(at));
  };

  // The first bot bubble of the latest answer: an answer of several bubbles (a receipt, the call
  // links, then the next question) is read from its start when it does not fit on the screen.
  let replyStart = null;

  // Copies with the Clipboard API, or by selecting the number where it is unavailable (plain http).
  const copy = async (text, node) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      const range = document.createRange();
      range.selectNodeContents(node);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return document.execCommand && document.execCommand('copy');
    }
  };

  const receiptCard = (number) => {
    const card = document.createElement('div');
    card.className = 'receipt';
    const label = document.createElement('span');
    label.className = 'receipt-label';
    label.textContent = '접수번호';
    const strong = document.createElement('strong');
    strong.className = 'receipt-number';
    strong.textContent = number;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = '복사';
    button.setAttribute('aria-label', `접수번호 ${number} 복사`);
    button.addEventListener('click', async () => {
      const ok = await copy(number, strong);
      status.textContent = ok
        ? `접수번호 ${number}를 복사했습니다.`
        : '복사하지 못했습니다. 번호를 길게 눌러 복사해 주세요.';
      if (ok) button.textContent = '복사됨';
    });
    card.append(label, strong, button);
    return card;
  };

  const bubble = (text, who, calls) => {
    const p = document.createElement('p');
    p.className = `bubble ${who}`;
    fillText(p, text);
    log.appendChild(p);
    if (who === 'error') replyStart = p; // an error is the whole answer
    const receipt = who === 'bot' ? RECEIPT.exec(text) : null;
    if (receipt) log.appendChild(receiptCard(receipt[1]));
    if (Array.isArray(calls) && calls.length > 0) {
      const row = document.createElement('div');
      row.className = 'calls';
      for (const c of calls) {
        const a = document.createElement('a');
        a.className = 'call';
        a.href = `tel:${String(c.number).replace(/\D/g, '')}`;
        a.textContent = c.title;
        row.appendChild(a);
      }
      log.appendChild(row);
    }
    return p;
  };

  // Keeps the latest answer in view after the layout settled (buttons below the log shrink it,
  // the on-screen keyboard shrinks the page): the end of the log when the answer fits, else the
  // answer's start, so the receipt or the warning above the next question is never skipped.
  const keepNewestInView = () => {
    requestAnimationFrame(() => {
      const bubbles = log.querySelectorAll('.bubble');
      const last = bubbles[bubbles.length - 1];
      if (!last) return;
      const start = replyStart && replyStart.isConnected ? replyStart : last;
      const origin = log.getBoundingClientRect().top - log.scrollTop;
      const top = start.getBoundingClientRect().top - origin;
      const end = (log.lastElementChild ?? last).getBoundingClientRect().bottom - origin;
      if (end - top <= log.clientHeight)
        log.scrollTop = log.scrollHeight; // all of it fits: show the end
      else log.scrollTop = top - 4;
    });
  };

  // On phones the keyboard covers the page without resizing it: fit the chat to what is visible.
  if (window.visualViewport) {
    const fit = () => {
      chat.style.height = `${window.visualViewport.height}px`;
      keepNewestInView();
    };
    window.visualViewport.addEventListener('resize', fit);
  }
  input.addEventListener('focus', () => setTimeout(keepNewestInView, 300));

  const showChoices = (list) => {
    choices.replaceChildren();
    for (const c of list) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = c.title;
      // toggles (multiple choice) say whether they are chosen
      if (typeof c.pressed === 'boolean') b.setAttribute('aria-pressed', String(c.pressed));
      if (c.done) b.className = 'done';
      b.addEventListener('click', () => send({ type: 'message', text: c.title, choice: c.payload }, c.title));
      choices.appendChild(b);
    }
  };

  const setBusy = (busy) => {
    sendButton.disabled = busy;
    document.getElementById('photo-button').disabled = busy;
    for (const b of choices.querySelectorAll('button')) b.disabled = busy;
    log.setAttribute('aria-busy', String(busy));
    status.textContent = busy ? '답변을 기다리는 중…' : '';
  };

  // A photo from the 사진 button: the file itself as the body, answered like a message.
  const photoInput = document.getElementById('photo');
  const photoButton = document.getElementById('photo-button');
  const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
  photoButton.addEventListener('click', () => photoInput.click());
  photoInput.addEventListener('change', () => {
    const file = photoInput.files && photoInput.files[0];
    photoInput.value = '';
    if (!file || busy) return;
    void send({ type: 'photo', file }, `사진 보냄: ${file.name}`);
  });
  const uploadPhoto = (message) =>
    fetch('/chat/api/photos', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': message.file.type || 'application/octet-stream',
        'x-client-id': message.clientId,
        'x-photo-size': String(message.file.size),
      },
      // a file over the limit is not uploaded at all: its size is enough for the server's Korean refusal
      body: message.file.size > MAX_PHOTO_BYTES ? '' : message.file,
    });

  const post = (body) =>
    fetch(ENDPOINT, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  let busy = false;
  // `typed`: what the box held, put back when the server refuses it as too long
  async function send(message, shown, typed) {
    if (busy) return;
    busy = true;
    if (shown !== undefined) bubble(shown, 'user');
    if (message.type === 'message' || message.type === 'photo') message.clientId = newClientId();
    setBusy(true);
    try {
      let res;
      const go = message.type === 'photo' ? uploadPhoto : post;
      try {
        res = await go(message);
      } catch {
        res = await go(message); // one retry on a network error; the same clientId makes it safe
      }
      if (!res.ok) {
        if (res.status === 413 && typed !== undefined && !input.value) restoreInput(typed);
        bubble(
          res.status === 413
            ? '메시지가 너무 깁니다. 1,000자 이내로 줄여서 다시 보내 주세요.'
            : res.status === 400
              ? '보낼 수 없는 메시지입니다. 글로 다시 입력해 주세요.'
              : '잠시 후 다시 시도해 주세요.',
          'error',
        );
        return;
      }
      const replies = await res.json();
      let last = [];
      replyStart = null;
      if (
        typed !== undefined &&
        !input.value &&
        replies.some((r) => typeof r.text === 'string' && r.text.startsWith(TOO_LONG))
      )
        restoreInput(typed);
      for (const r of replies) {
        if (r.text) {
          const b = bubble(r.text, 'bot', r.calls);
          replyStart ??= b;
        }
        if (Array.isArray(r.quick_replies)) last = r.quick_replies;
      }
      showChoices(last);
    } catch {
      bubble('연결할 수 없습니다. 인터넷 연결을 확인하고 다시 시도해 주세요.', 'error');
    } finally {
      busy = false;
      setBusy(false);
      keepNewestInView();
      // A pressed button was replaced by the new ones: keep keyboard users in the conversation.
      if (shown !== undefined && (!document.activeElement || document.activeElement === document.body)) input.focus();
    }
  }

  // The box grows with what is typed (up to its CSS max-height), then scrolls.
  const fitInput = () => {
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight + 2}px`;
  };
  input.addEventListener('input', fitInput);
  const restoreInput = (text) => {
    input.value = text;
    fitInput();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return; // while waiting, keep what was typed in the box
    input.value = '';
    fitInput();
    void send({ type: 'message', text }, text, text);
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
