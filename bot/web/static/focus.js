// Take keyboard and screen reader focus to the question after each step.
// A file rather than an inline script: the Content-Security-Policy allows only ours.
(function () {
  var heading = document.querySelector(".screen-heading");
  if (heading && window.location.search.indexOf("survey=") !== -1) { heading.focus(); }
})();
