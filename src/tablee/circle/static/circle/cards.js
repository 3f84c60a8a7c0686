// Cards on a phone: the other attendees are one search away (table-mates are listed first).
(function () {
  var input = document.getElementById("pick-search");
  var list = document.querySelector(".card-pick-others");
  if (!input || !list) return;
  var collapsed = list.dataset.collapsed === "1";
  list.classList.toggle("searching", collapsed);  // without script, everyone is listed
  function plain(s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  input.addEventListener("input", function () {
    var q = plain(input.value.trim());
    list.classList.toggle("searching", collapsed && !q);
    list.querySelectorAll("li").forEach(function (li) {
      var keep = li.querySelector("input[name=keep]");
      li.hidden = Boolean(q) && plain(li.dataset.search).indexOf(q) < 0 && !(keep && keep.checked);
    });
  });
})();
