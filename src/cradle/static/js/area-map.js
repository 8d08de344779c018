// Cradle area maps, drawn with Leaflet. Load this file with `defer`. Leaflet itself is best
// loaded before it (templates/includes/map_head.html and map_scripts.html); if it is not, this
// file loads vendor/leaflet/leaflet.js and leaflet.css from beside its own static folder.
//
// Every element with data-map-geojson-url="<url>" becomes a Leaflet map showing that GeoJSON,
// on a plain background (no tile layer: Cradle runs without a tile server).
//   feature.properties.name  tooltip text
//   feature.properties.url   clicking the feature goes there
//   feature.properties.code  matched against the element's data-map-highlight
(function () {
  "use strict";

  // Where Leaflet lives, relative to this script (static/js/ -> static/vendor/leaflet/).
  var leafletBase = document.currentScript
    ? new URL("../vendor/leaflet/", document.currentScript.src).href
    : null;

  var NHS_BLUE = "#005eb8";
  var NHS_DARK_BLUE = "#003087";

  var baseStyle = {
    color: NHS_BLUE,
    weight: 1.5,
    opacity: 1,
    fillColor: NHS_BLUE,
    fillOpacity: 0.08,
  };
  var highlightStyle = {
    color: NHS_DARK_BLUE,
    weight: 3,
    opacity: 1,
    fillColor: NHS_BLUE,
    fillOpacity: 0.55,
  };

  function featureCode(feature) {
    var props = feature.properties || {};
    if (props.code !== undefined && props.code !== null) {
      return String(props.code);
    }
    return feature.id !== undefined && feature.id !== null ? String(feature.id) : null;
  }

  function showMessage(element, text) {
    var message = document.createElement("p");
    message.className = "cradle-map__message nhsuk-body-s";
    message.textContent = text;
    element.appendChild(message);
  }

  function initMap(element) {
    var url = element.getAttribute("data-map-geojson-url");
    var highlight = element.getAttribute("data-map-highlight");
    if (!url || element.getAttribute("data-map-initialised")) {
      return;
    }
    element.setAttribute("data-map-initialised", "true");
    // Once Leaflet runs the map holds controls (zoom buttons), so it is no longer a plain
    // image: role="img" would hide them from assistive technology (axe: nested-interactive).
    if (element.getAttribute("role") === "img") {
      element.setAttribute("role", "region");
    }

    var fallback = element.querySelector(".cradle-map__fallback");
    if (fallback) {
      fallback.remove();
    }

    var map = L.map(element, {
      attributionControl: false,
      zoomSnap: 0.25,
      scrollWheelZoom: false,
    });
    // Leaflet needs a view before anything is drawn; fitBounds replaces it once data arrives.
    map.setView([54.5, -3], 5);

    function styleFor(feature) {
      return highlight && featureCode(feature) === highlight ? highlightStyle : baseStyle;
    }

    fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: styleFor,
          onEachFeature: function (feature, featureLayer) {
            var props = feature.properties || {};
            if (props.name) {
              // Pass a text node, not a string: Leaflet puts strings in as HTML.
              featureLayer.bindTooltip(document.createTextNode(String(props.name)), {
                sticky: true,
              });
            }
            if (props.url) {
              featureLayer.on("click", function () {
                window.location.assign(props.url);
              });
            }
            featureLayer.on("mouseover", function () {
              if (featureLayer.setStyle) {
                featureLayer.setStyle({ weight: styleFor(feature).weight + 1.5 });
              }
            });
            featureLayer.on("mouseout", function () {
              if (featureLayer.setStyle) {
                featureLayer.setStyle(styleFor(feature));
              }
            });
          },
        }).addTo(map);

        layer.eachLayer(function (featureLayer) {
          var feature = featureLayer.feature;
          if (highlight && feature && featureCode(feature) === highlight && featureLayer.bringToFront) {
            featureLayer.bringToFront();
          }
          var path = featureLayer.getElement && featureLayer.getElement();
          if (path && !(feature && feature.properties && feature.properties.url)) {
            path.classList.add("cradle-map__feature--static");
          }
        });

        var bounds = layer.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [12, 12] });
        }
        element.setAttribute("data-map-ready", "true");
      })
      .catch(function () {
        element.setAttribute("data-map-ready", "error");
        showMessage(element, "The map could not be loaded.");
      });
  }

  function loadLeaflet(onLoad, onError) {
    if (!document.querySelector('link[rel="stylesheet"][href*="leaflet"]')) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = leafletBase + "leaflet.css";
      document.head.appendChild(link);
    }
    var script = document.createElement("script");
    script.src = leafletBase + "leaflet.js";
    script.addEventListener("load", onLoad);
    script.addEventListener("error", onError);
    document.head.appendChild(script);
  }

  // Shared with status-map.js, which is always loaded after this file.
  window.CradleMaps = { loadLeaflet: loadLeaflet, showMessage: showMessage };

  function initAllMaps() {
    var elements = document.querySelectorAll("[data-map-geojson-url]");
    if (!elements.length) {
      return;
    }
    function initEach() {
      for (var i = 0; i < elements.length; i++) {
        initMap(elements[i]);
      }
    }
    if (typeof L !== "undefined") {
      initEach();
    } else if (leafletBase) {
      loadLeaflet(initEach, function () {
        for (var i = 0; i < elements.length; i++) {
          elements[i].setAttribute("data-map-ready", "error");
          showMessage(elements[i], "The map could not be loaded.");
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAllMaps);
  } else {
    initAllMaps();
  }
})();
