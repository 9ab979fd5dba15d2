// "Use my current position" on the shopper's profile and job board: asks the browser (Geolocation API) for the
// phone's position and writes it into the form's latitude and longitude fields; on the board it then sends the
// filter form, so visits are sorted by distance from where the shopper stands. Nothing leaves the phone unless
// the form is sent. Markup:
// <button hidden data-geo-form="#form-id" data-geo-submit data-geo-status="#status-id" data-asking="…"
//         data-denied="…" data-done="…">Use my current position</button>
// with inputs [data-geo=latitude] and [data-geo=longitude] inside the form; data-geo-area="#id" (optional) names
// a home-area text field that is emptied when the position is filled (data-area-cleared: what is then said). Without this script (or without
// geolocation) the button stays hidden: the fields can be typed by hand.
(function () {
  "use strict";

  document.querySelectorAll("[data-geo-form]").forEach(function (button) {
    const form = document.querySelector(button.dataset.geoForm);
    if (!form || !navigator.geolocation) return;
    const lat = form.querySelector("[data-geo=latitude]");
    const lng = form.querySelector("[data-geo=longitude]");
    const status = document.querySelector(button.dataset.geoStatus || "");
    if (!lat || !lng) return;
    button.hidden = false;

    function say(text) { if (status) status.textContent = text || ""; }

    button.addEventListener("click", function () {
      button.disabled = true;
      say(button.dataset.asking);
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        button.disabled = false;
        say(button.dataset.done);
        // The home area named the old position: cleared, so the board does not say "from Leeds" while it
        // measures from here. The shopper can name the new place.
        const area = button.dataset.geoArea ? form.querySelector(button.dataset.geoArea) : null;
        if (area && area.value) {
          area.value = "";
          say(button.dataset.areaCleared || button.dataset.done);
        }
        if (button.hasAttribute("data-geo-submit")) {
          const page = form.querySelector("[name=page]");
          if (page) page.remove();
          form.submit();
        }
      }, function () {
        button.disabled = false;
        say(button.dataset.denied);
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
    });
  });
})();
