// The today page refreshes itself from /console/today.json and announces new 즉시 위험 reports:
// a short tone and, for staff who allowed it, a browser notification. Only receipt numbers are
// shown outside the page. Without this script the page still works (reload to refresh).
(() => {
  const live = document.getElementById('today-live');
  const sections = document.getElementById('today-sections');
  if (!live || !sections) return;
  const seconds = Number(live.dataset.pollSeconds) || 15;
  const known = new Set((live.dataset.immediate || '').split(' ').filter(Boolean));
  const banner = document.getElementById('today-alert');
  const updated = document.getElementById('today-updated');
  const button = document.getElementById('notify-on');
  let audio = null;

  // Browsers let a page play sound and ask for notifications only after a click: one button does both.
  if (button && 'Notification' in window && Notification.permission !== 'granted') button.hidden = false;
  button?.addEventListener('click', async () => {
    audio = audio || new AudioContext();
    await audio.resume();
    const answer = await Notification.requestPermission();
    button.hidden = answer === 'granted';
    if (answer === 'denied') button.textContent = '브라우저 설정에서 알림이 차단되어 있습니다';
  });
  document.addEventListener(
    'click',
    () => {
      if (!audio && 'AudioContext' in window) audio = new AudioContext();
    },
    { once: true },
  );

  function tone() {
    if (!audio) return;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.8);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.8);
  }

  function announce(receiptNos) {
    const text = `새 즉시 위험 신고: ${receiptNos.join(', ')}`;
    if (banner) {
      // the banner links to what it counts: the urgent section at the top of the page
      const link = document.getElementById('today-alert-link');
      if (link) link.textContent = `${text} — 보기`;
      else banner.textContent = text;
      banner.hidden = false;
    }
    document.body.dataset.lastAlert = receiptNos.join(' ');
    tone();
    if ('Notification' in window && Notification.permission === 'granted') {
      for (const no of receiptNos) {
        const n = new Notification('즉시 위험 신고', {
          body: `접수번호 ${no} · 바로 확인해 주세요`,
          tag: `sagak-${no}`,
        });
        n.onclick = () => {
          window.focus();
          location.href = `/console/reports/${no}`;
        };
      }
    }
  }

  async function refresh() {
    try {
      const res = await fetch(`/console/today.json${location.search}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (res.redirected || res.status === 401 || res.status === 403) {
        if (updated) updated.textContent = '로그인이 끝났습니다. 다시 로그인해 주세요.';
        return;
      }
      if (!res.ok) throw new Error(String(res.status));
      const data = await res.json();
      sections.innerHTML = data.html;
      const fresh = data.immediate.filter((no) => !known.has(no));
      for (const no of data.immediate) known.add(no);
      if (fresh.length) announce(fresh);
      if (updated)
        updated.textContent = `마지막 갱신 ${new Date(data.generatedAt).toLocaleTimeString('ko-KR', { timeZone: 'Asia/Seoul', hourCycle: 'h23' })}`;
      document.body.dataset.refreshedAt = data.generatedAt;
    } catch {
      if (updated) updated.textContent = '갱신하지 못했습니다. 잠시 후 다시 시도합니다.';
    }
    setTimeout(refresh, seconds * 1000);
  }
  setTimeout(refresh, seconds * 1000);
})();
