/* Shows a conditional question only when the earlier answer it depends on is given, as the
   server reads it (answering.visible). Progressive enhancement: without this script every
   question is shown, each conditional one saying when to answer it, and the server ignores
   the answers to questions whose condition is not met. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-survey]");
  if (!form) { return; }
  var blocks = form.querySelectorAll("[data-question]");

  function chosen(key) {
    var source = form.querySelector('[data-question="' + key + '"]');
    if (!source || source.hidden) { return []; }
    var values = [];
    form.querySelectorAll('input[name="' + key + '"]').forEach(function (input) {
      if (input.checked) { values.push(input.value); }
    });
    var other = form.querySelector('input[name="' + key + '.other"]');
    if (other && other.value.trim() !== "" && values.indexOf("other") === -1) {
      values.push("other");
    }
    return values;
  }

  function update() {
    blocks.forEach(function (block) {  /* in order: a condition reads an earlier question */
      var source = block.getAttribute("data-show-if");
      if (!source) { return; }
      var wanted = block.getAttribute("data-any-of").split(" ");
      var given = chosen(source);
      block.hidden = !given.some(function (v) { return wanted.indexOf(v) !== -1; });
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
