/* Recording player: play/pause, back and forward 5 s, speed, keyboard shortcuts, and
   buttons with data-seek anywhere on the page (pinned comments, the automatic checks' evidence)
   that play from a moment. */
(function () {
  "use strict";
  const box = document.getElementById("player");
  if (!box) return;
  const audio = document.getElementById("player-audio");
  const toggle = box.querySelector('[data-player="toggle"]');
  const speed = box.querySelector('[data-player="speed"]');
  const time = document.getElementById("player-time");
  const SPEEDS = ["0.75", "1", "1.25", "1.5", "1.75", "2"];

  function clock(seconds) {
    const s = Math.max(0, Math.floor(seconds || 0));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function showTime() {
    const total = isFinite(audio.duration) ? audio.duration : Number(box.dataset.duration || 0);
    time.textContent = clock(audio.currentTime) + " / " + clock(total);
  }
  function seek(seconds) {
    const total = isFinite(audio.duration) ? audio.duration : Infinity;
    audio.currentTime = Math.min(Math.max(0, seconds), total);
    showTime();
  }
  function playFrom(seconds) {  // "Play from here": seek, then play (a browser may refuse; the seek stays)
    seek(seconds);
    audio.play().catch(function () {});
  }
  function playPause() { if (audio.paused) { audio.play().catch(function () {}); } else { audio.pause(); } }
  function setSpeed(value) { speed.value = value; audio.playbackRate = Number(value); }
  function stepSpeed(step) {
    const i = SPEEDS.indexOf(speed.value);
    setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, i + step))]);
  }

  box.querySelector('[data-player="back"]').addEventListener("click", function () { seek(audio.currentTime - 5); });
  box.querySelector('[data-player="forward"]').addEventListener("click", function () { seek(audio.currentTime + 5); });
  toggle.addEventListener("click", playPause);
  speed.addEventListener("change", function () { audio.playbackRate = Number(speed.value); });
  audio.addEventListener("play", function () { toggle.textContent = toggle.dataset.pause; });
  audio.addEventListener("pause", function () { toggle.textContent = toggle.dataset.play; });
  audio.addEventListener("timeupdate", showTime);
  audio.addEventListener("loadedmetadata", showTime);
  audio.addEventListener("seeked", showTime);
  toggle.dataset.play = toggle.textContent.trim();
  toggle.dataset.pause = box.dataset.pauseLabel;  // translated by the template

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-seek]");
    if (!button) return;
    playFrom(Number(button.dataset.seek));
    const item = button.dataset.item && document.querySelector('.item-card[data-item="' + button.dataset.item + '"], [data-answer-item="' + button.dataset.item + '"]');
    if (item) {
      document.querySelectorAll(".pin-target").forEach(function (el) { el.classList.remove("pin-target"); });
      item.classList.add("pin-target");
      item.scrollIntoView({ block: "nearest" });
    }
  });

  function typing(target) {
    if (!target) return false;
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
    return target.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(target.type);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key.toLowerCase();
    const actions = {
      k: playPause, j: function () { seek(audio.currentTime - 5); }, l: function () { seek(audio.currentTime + 5); },
      "[": function () { stepSpeed(-1); }, "]": function () { stepSpeed(1); },
    };
    if (actions[key]) { event.preventDefault(); actions[key](); }
  });

  window.qaPlayer = { audio: audio, seek: seek, playFrom: playFrom, clock: clock, typing: typing };
  showTime();
})();
