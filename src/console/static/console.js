// Small progressive enhancements; every page works without this script.
document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : '';
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // One press, one action: a second click while the page is loading sends nothing.
  if (form instanceof HTMLFormElement)
    for (const b of form.querySelectorAll('button[type=submit]')) setTimeout(() => (b.disabled = true), 0);
});

// A field the browser refuses gets its reason in Korean on the page, next to the field (not a
// browser bubble in the browser's language), and the first such field takes the focus.
const labelOf = (field) => {
  const label = field.id ? document.querySelector(`label[for="${field.id}"]`) : field.closest('label');
  return label ? label.textContent.replace(/\s*\(.*\)\s*$/, '').trim() : '이 칸';
};
const reasonOf = (field) => {
  const v = field.validity;
  const name = labelOf(field);
  if (v.valueMissing)
    return field.type === 'file'
      ? `「${name}」 파일을 골라 주세요.`
      : field.tagName === 'SELECT'
        ? `「${name}」 항목을 골라 주세요.`
        : `「${name}」 칸을 채워 주세요.`;
  if (v.patternMismatch && field.dataset.patternKo) return field.dataset.patternKo;
  if (v.tooShort) return `「${name}」 칸은 ${field.minLength}자 이상이어야 합니다.`;
  if (v.tooLong) return `「${name}」 칸은 ${field.maxLength}자까지입니다.`;
  if (v.typeMismatch || v.patternMismatch || v.badInput) return `「${name}」 칸의 형식이 맞지 않습니다.`;
  return `「${name}」 칸을 확인해 주세요.`;
};
let firstInvalid = null;
document.addEventListener(
  'invalid',
  (event) => {
    const field = event.target;
    if (!(field instanceof HTMLElement) || !('validity' in field)) return;
    event.preventDefault();
    const id = `${field.id || field.name}-error`;
    let message = document.getElementById(id);
    if (!message) {
      message = document.createElement('p');
      message.id = id;
      message.className = 'field-error';
      (field.closest('label.check') ?? field).insertAdjacentElement('afterend', message);
    }
    message.textContent = reasonOf(field);
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', [field.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    if (!firstInvalid) {
      firstInvalid = field;
      field.focus();
      setTimeout(() => (firstInvalid = null), 0);
    }
  },
  true,
);
document.addEventListener('input', (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.getAttribute('aria-invalid') === 'true' && field.checkValidity?.()) {
    field.removeAttribute('aria-invalid');
    document.getElementById(`${field.id || field.name}-error`)?.remove();
  }
});

// A page that comes back with an error puts the focus on it: the first marked field, else the message.
window.addEventListener('DOMContentLoaded', () => {
  const target = document.querySelector('[aria-invalid="true"]') ?? document.querySelector('.form-error');
  if (!target) return;
  if (!target.matches('input, select, textarea, button, a[href]')) target.setAttribute('tabindex', '-1');
  target.focus();
});

// 인쇄 buttons (the case page, the visit request sheet, the access records and their monthly review): the
// print styles (case.css) leave out menus and forms.
document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.closest('[data-print]')) window.print();
});
