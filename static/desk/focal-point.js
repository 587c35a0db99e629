// The image library's focal-point picker: a click on the picture sets the focal point's two
// number fields (0 to 1 from the left and the top) and moves the marker; typing in the fields
// moves the marker too. Without this script the fields work on their own.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var picker = document.querySelector("[data-focal-picker]");
  var fieldX = document.getElementById("id_focal_x");
  var fieldY = document.getElementById("id_focal_y");
  if (!picker || !fieldX || !fieldY) {
    return;
  }
  var picture = picker.querySelector("img");
  var marker = picker.querySelector(".focal-marker");
  picker.classList.add("focal-picker-active");

  function place(x, y) {
    marker.style.left = x * 100 + "%";
    marker.style.top = y * 100 + "%";
  }

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  picture.addEventListener("click", function (event) {
    var box = picture.getBoundingClientRect();
    var x = clamp((event.clientX - box.left) / box.width);
    var y = clamp((event.clientY - box.top) / box.height);
    fieldX.value = x.toFixed(3);
    fieldY.value = y.toFixed(3);
    place(x, y);
  });

  [fieldX, fieldY].forEach(function (field) {
    field.addEventListener("input", function () {
      var x = parseFloat(fieldX.value);
      var y = parseFloat(fieldY.value);
      if (!isNaN(x) && !isNaN(y)) {
        place(clamp(x), clamp(y));
      }
    });
  });
});
