/* On a narrow screen site.css shows each table row as a card; this labels every cell with its
   column's header (data-label, shown before the cell's content) so a card still says what each
   value is. Progressive enhancement: without it the cards show their values unlabelled.
   The calendar grid (.cal) keeps its layout. The ARIA roles keep the table's meaning for screen
   readers, which drop it when a table is no longer displayed as one. */
(function () {
  "use strict";
  function headers(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var labels = [];
    if (!row) { return labels; }
    Array.prototype.forEach.call(row.cells, function (cell) {
      var hidden = cell.querySelector(".visually-hidden");
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      // A header only screen readers read ("Actions") says nothing on a card.
      if (hidden && hidden.textContent.replace(/\s+/g, " ").trim() === text) { text = ""; }
      for (var i = 0; i < (cell.colSpan || 1); i++) { labels.push(text); }
    });
    return labels;
  }
  function label(table) {
    var labels = headers(table);
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"),
      function (group) { group.setAttribute("role", "rowgroup"); });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var header = cell.tagName === "TH";
        var across = cell.getAttribute("scope") === "row" || row.parentNode !== table.tHead;
        cell.setAttribute("role", header ? (across ? "rowheader" : "columnheader") : "cell");
        // An empty cell has nothing to say: the card leaves its line out. Row headers are the
        // cards' titles: they go unlabelled.
        if (!cell.children.length && !cell.textContent.trim()) {
          cell.setAttribute("data-empty", "");
        } else if (!header && !cell.hasAttribute("data-label") && labels[column] && cell.colSpan === 1) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table:not(.cal)"), label);
})();
