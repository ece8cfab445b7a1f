// Take keyboard and screen reader focus to the question after each step.
// A file rather than an inline script: the Content-Security-Policy allows only ours.
(function () {
  var heading = document.querySelector(".screen-heading");
  var inSurvey = window.location.search.indexOf("survey=") !== -1 ||
    window.location.pathname.indexOf("/survey/") === 0;
  if (heading && inSurvey) { heading.focus(); }
})();
