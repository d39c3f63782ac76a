// The weekly list page: the week a chosen date falls in, shown as "11월 30일(월) ~ 12월 6일(일)"
// as soon as the date changes (the server shows the same for the date it was given).
(() => {
  const input = document.getElementById('w-date');
  const range = document.querySelector('#w-range strong');
  if (!input || !range) return;
  const label = (d) => `${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일`;
  input.addEventListener('change', () => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
    if (!m) return;
    const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    const monday = new Date(day.getTime() - ((day.getUTCDay() || 7) - 1) * 86400000);
    const sunday = new Date(monday.getTime() + 6 * 86400000);
    range.textContent = `${label(monday)}(월) ~ ${label(sunday)}(일)`;
  });
})();
