// Copy the complaint text for the case form's 事实与理由 (the text never travels in an address).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.innerText).then(function () {
    button.textContent = button.dataset.copiedLabel;
  });
});
