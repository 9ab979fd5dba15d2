/* The transcript beside the player (templates/autoqa/_transcript.html): the word being played is
   highlighted, a click (or Enter on a word reached with the arrow keys) plays from there, the search box
   marks matches with next/previous, and a selected phrase can become a pinned comment at its moment
   (the scoring screen's pin form, static/js/score.js). Needs static/js/player.js (window.qaPlayer). */
(function () {
  "use strict";
  const panel = document.getElementById("transcript");
  const box = document.getElementById("transcript-words");
  if (!panel || !box || !window.qaPlayer) return;
  const player = window.qaPlayer;
  const t = QA.strings();
  const words = Array.from(box.querySelectorAll(".tw"));
  const starts = words.map(function (w) { return Number(w.dataset.s); });
  let current = -1;
  let focusIndex = 0;

  box.querySelectorAll("[data-clock]").forEach(function (el) { el.textContent = player.clock(Number(el.dataset.clock)); });

  function indexAt(seconds) {  // the last word starting at or before this moment
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= seconds + 0.05) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }
  function scrollInto(el) {
    const top = el.offsetTop - box.offsetTop, bottom = top + el.offsetHeight;
    if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  }
  function highlight() {
    const i = indexAt(player.audio.currentTime);
    if (i === current) return;
    if (current >= 0) { words[current].classList.remove("tw-current"); words[current].removeAttribute("aria-current"); }
    current = i;
    if (i >= 0) {
      words[i].classList.add("tw-current");
      words[i].setAttribute("aria-current", "true");
      if (!box.contains(document.activeElement) && !selecting()) scrollInto(words[i]);
    }
  }
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) { player.audio.addEventListener(name, highlight); });

  // Keyboard: one tab stop (roving tabindex); arrows move between words, Enter or Space plays from there.
  function focusWord(i) {
    if (!words.length) return;
    i = Math.max(0, Math.min(words.length - 1, i));
    words[focusIndex].tabIndex = -1;
    focusIndex = i;
    words[i].tabIndex = 0;
    words[i].focus();
  }
  if (words.length) words[0].tabIndex = 0;
  box.addEventListener("keydown", function (event) {
    const i = words.indexOf(event.target);
    if (i < 0) return;
    const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, ArrowDown: i + 10, ArrowUp: i - 10, Home: 0, End: words.length - 1 };
    if (event.key in moves) { event.preventDefault(); focusWord(moves[event.key]); return; }
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      event.stopPropagation();
      player.playFrom(starts[i]);
    }
  });

  // Chromium starts no text selection on a focusable element: the word pressed loses its tabindex until the
  // button is released, so a phrase can be selected with the mouse (and pinned) while the arrows still work.
  let pressed = null;
  box.addEventListener("mousedown", function (event) {
    const word = event.target.closest(".tw");
    if (!word || event.button !== 0) return;
    pressed = word;
    word.removeAttribute("tabindex");
  });
  document.addEventListener("mouseup", function () {
    if (!pressed) return;
    pressed.tabIndex = words.indexOf(pressed) === focusIndex ? 0 : -1;
    pressed = null;
  });

  function selecting() {
    const sel = window.getSelection();
    return sel && !sel.isCollapsed && box.contains(sel.anchorNode);
  }
  box.addEventListener("click", function (event) {
    const word = event.target.closest(".tw");
    if (!word || selecting()) return;
    const i = words.indexOf(word);
    words[focusIndex].tabIndex = -1;
    focusIndex = i;
    word.tabIndex = 0;
    player.playFrom(starts[i]);
  });

  // Search: every match of the typed words (in order, across words), next and previous.
  const search = document.getElementById("transcript-search");
  const count = document.getElementById("transcript-count");
  const prevButton = panel.querySelector('[data-transcript="previous"]');
  const nextButton = panel.querySelector('[data-transcript="next"]');
  const plain = words.map(function (w) { return w.textContent.toLowerCase().replace(/[^\p{L}\p{N}'\[\] ]/gu, ""); });
  let matches = [];
  let at = -1;
  function clearMarks() {
    box.querySelectorAll(".tw-match, .tw-match-current").forEach(function (w) { w.classList.remove("tw-match", "tw-match-current"); });
  }
  function find() {
    clearMarks();
    matches = [];
    at = -1;
    const terms = search.value.toLowerCase().replace(/[^\p{L}\p{N}' ]/gu, " ").split(/\s+/).filter(Boolean);
    if (terms.length) {
      for (let i = 0; i + terms.length <= plain.length; i++) {
        let ok = true;
        for (let k = 0; k < terms.length && ok; k++) {
          ok = k === terms.length - 1 ? plain[i + k].startsWith(terms[k]) : plain[i + k] === terms[k];
        }
        if (ok) matches.push([i, i + terms.length - 1]);
      }
    }
    matches.forEach(function (m) { for (let k = m[0]; k <= m[1]; k++) words[k].classList.add("tw-match"); });
    prevButton.disabled = nextButton.disabled = matches.length === 0;
    if (!terms.length) { count.textContent = ""; return; }
    if (!matches.length) { count.textContent = t.transcriptNone; return; }
    go(0);
  }
  function go(step) {
    if (!matches.length) return;
    box.querySelectorAll(".tw-match-current").forEach(function (w) { w.classList.remove("tw-match-current"); });
    at = at < 0 ? 0 : (at + step + matches.length) % matches.length;
    const m = matches[at];
    for (let k = m[0]; k <= m[1]; k++) words[k].classList.add("tw-match-current");
    scrollInto(words[m[0]]);
    count.textContent = QA.format(t.transcriptMatches, { n: at + 1, total: matches.length });
  }
  search.addEventListener("input", find);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); go(event.shiftKey ? -1 : 1); }
  });
  nextButton.addEventListener("click", function () { go(1); });
  prevButton.addEventListener("click", function () { go(-1); });

  // A selected phrase becomes a pinned comment at its first word (only where the pin form is: scoring).
  const pinForm = document.getElementById("pin-form");
  const pinButton = panel.querySelector('[data-transcript="pin"]');
  if (!pinForm) return;
  panel.querySelector("[data-transcript-pinhint]").hidden = false;
  let chosen = null;
  function selectedWords() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const range = sel.getRangeAt(0);
    // A word only touched by the selection's edge (the end of the word before it) is not part of it.
    const inside = words.filter(function (w) {
      return range.intersectsNode(w) && !(range.startContainer === w.firstChild && range.startOffset >= w.textContent.length) &&
        !(range.endContainer === w.firstChild && range.endOffset === 0);
    });
    if (!inside.length) return null;
    return { at: Number(inside[0].dataset.s), phrase: inside.map(function (w) { return w.textContent; }).join(" ") };
  }
  document.addEventListener("selectionchange", function () {
    const now = selectedWords();
    if (now) chosen = now;
    else if (document.activeElement !== pinButton) chosen = null;
    pinButton.hidden = !chosen;
  });
  // Pressing the button must not clear the selection before its click is seen.
  pinButton.addEventListener("mousedown", function (event) { event.preventDefault(); });
  pinButton.addEventListener("click", function () {
    const phrase = selectedWords() || chosen;
    if (!phrase) return;
    const at = pinForm.querySelector('[name="at_seconds"]');
    const text = pinForm.querySelector('[name="text"]');
    // The phrase's first word is the moment: held against the stamps the pause and the seek would
    // otherwise make from wherever the player happens to be (static/js/score.js).
    if (window.qaPinAt) window.qaPinAt(phrase.at); else at.value = phrase.at.toFixed(2);
    player.audio.pause();
    player.seek(phrase.at);
    text.value = "“" + phrase.phrase + "” ";
    pinButton.hidden = true;
    chosen = null;
    text.focus();
    text.setSelectionRange(text.value.length, text.value.length);
    pinForm.scrollIntoView({ block: "nearest" });
  });
})();
