// The hotline desk: a running call timer that fills the duration field (until the operator types
// in it), Enter in a textarea saves (Shift+Enter: new line), and the caller panel follows the number.
(function () {
  "use strict";
  const form = document.getElementById("desk-form");
  if (!form) return;
  const display = document.getElementById("call-timer");
  const duration = document.getElementById("id_duration");
  // after a rejected save the page comes back with the time so far: the timer goes on from it
  const parts = duration.value.trim().split(":").map(Number);
  const soFar = parts.every((n) => Number.isFinite(n))
    ? parts.reduce((total, n) => total * 60 + n, 0) * (parts.length === 1 ? 60 : 1)
    : 0;
  let started = Date.now() - soFar * 1000;
  let edited = false;

  function format(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  }

  function tick() {
    const text = format(Math.floor((Date.now() - started) / 1000));
    display.textContent = text;
    if (!edited) duration.value = text;
  }

  duration.addEventListener("input", () => { edited = true; });
  document.getElementById("timer-reset").addEventListener("click", () => {
    started = Date.now();
    edited = false;
    tick();
  });
  setInterval(tick, 1000);
  tick();

  // the intake assistant's suggestions (side panel) fill a field with one click
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-fill]");
    if (!button) return;
    const field = document.getElementById(button.dataset.fill);
    if (!field) return;
    field.value = button.dataset.value;
    field.dispatchEvent(new Event("change", { bubbles: true }));
    button.classList.replace("btn-outline-primary", "btn-primary");
  });

  form.querySelectorAll("textarea[data-enter-submits]").forEach((area) => {
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit(document.getElementById("save-button"));
      }
    });
  });
})();
