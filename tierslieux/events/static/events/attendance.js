/* Filters the attendance list as one types. Progressive enhancement: without it, the search
   form is submitted and the server filters. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-filter"));
    if (!list) { return; }
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      list.querySelectorAll("li[data-name]").forEach(function (row) {
        row.hidden = words !== "" && row.getAttribute("data-name").indexOf(words) === -1;
      });
    });
  });
})();
