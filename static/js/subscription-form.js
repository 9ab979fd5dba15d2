// The subscription form: show the day of the week for weekly reports and the day of the month
// for monthly ones. Without this script both stay visible and the server ignores the other one.
(function () {
  "use strict";
  var form = document.querySelector("[data-subscription-form]");
  if (!form) return;
  var weekday = document.getElementById("div_id_weekday");
  var monthDay = document.getElementById("div_id_day_of_month");
  function update() {
    var chosen = form.querySelector("input[name=frequency]:checked");
    var monthly = chosen && chosen.value === "monthly";
    if (weekday) weekday.hidden = monthly;
    if (monthDay) monthDay.hidden = !monthly;
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "frequency") update();
  });
  update();
})();
