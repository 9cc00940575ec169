// Site-wide behaviour without inline handlers, so the Content-Security-Policy can refuse every
// inline script: a control marked data-autosubmit submits its form when changed, and a button or
// form marked data-confirm asks first.
(function () {
  "use strict";
  document.addEventListener("change", (event) => {
    const control = event.target.closest("[data-autosubmit]");
    if (control && control.form) control.form.submit();
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-confirm], a[data-confirm], input[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
