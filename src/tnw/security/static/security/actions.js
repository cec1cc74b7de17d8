// Buttons with data-action="print" print the page. A script file of this site, not an inline
// onclick, so that the Content-Security-Policy can refuse every inline script (tnw.security).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-action='print']");
  if (button) {
    window.print();
  }
});
