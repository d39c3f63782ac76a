// Small progressive enhancements; every page works without this script.
document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : '';
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // One press, one action: a second click while the page is loading sends nothing.
  if (form instanceof HTMLFormElement) for (const b of form.querySelectorAll('button[type=submit]')) setTimeout(() => (b.disabled = true), 0);
});

// 인쇄 buttons (the case page, the visit request sheet): the print styles (case.css) leave out menus and forms.
document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.closest('[data-print]')) window.print();
});
