// The FOI report's map of acceptance by area, drawn with Leaflet on a plain background (no tile
// layer). Load this file with `defer`, after Leaflet (templates/includes/map_head.html and
// map_scripts.html); if Leaflet is not on the page, this file loads it from beside its own
// static folder, as coverage-map.js does.
//
// Every element with data-foi-map-url="<url>" becomes a map of that GeoJSON (one feature per 2019
// CCG), shaded by properties.status:
//   "accepts"       solid NHS blue           CAMHS accepts referrals in at least one band under 3
//   "accepts-none"  red stripes              CAMHS accepts no referrals of children under 3
//   "no-data"       white, grey outline      no answer about acceptance
// The page's key says the same in words and lists every area in tables: the map is mouse-only.
// Other properties: name and status_in_words (tooltip), url (clicking an area goes there).
(function () {
  "use strict";

  var leafletBase = document.currentScript
    ? new URL("../vendor/leaflet/", document.currentScript.src).href
    : null;

  var SVG_NS = "http://www.w3.org/2000/svg";
  var STRIPES_ID = "cradle-foi-stripes";
  var NHS_BLUE = "#005eb8";
  var NHS_DARK_BLUE = "#003087";
  var NHS_RED = "#d5281b";
  var NHS_GREY_2 = "#768692";

  var STYLES = {
    accepts: { color: NHS_DARK_BLUE, weight: 1, opacity: 1, fillColor: NHS_BLUE, fillOpacity: 0.85 },
    "accepts-none": {
      color: NHS_RED,
      weight: 1,
      opacity: 1,
      fillColor: "url(#" + STRIPES_ID + ")",
      fillOpacity: 1,
    },
    "no-data": { color: NHS_GREY_2, weight: 1, opacity: 1, fillColor: "#ffffff", fillOpacity: 1 },
  };

  function styleFor(feature) {
    var status = (feature.properties || {}).status;
    return STYLES[status] || STYLES["no-data"];
  }

  function tooltipText(props) {
    var text = String(props.name || "");
    if (props.status_in_words) {
      text += ": " + props.status_in_words;
    }
    return text;
  }

  function addStripes(svg) {
    if (!svg || document.getElementById(STRIPES_ID)) {
      return;
    }
    var defs = document.createElementNS(SVG_NS, "defs");
    var pattern = document.createElementNS(SVG_NS, "pattern");
    pattern.setAttribute("id", STRIPES_ID);
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var background = document.createElementNS(SVG_NS, "rect");
    background.setAttribute("width", "8");
    background.setAttribute("height", "8");
    background.setAttribute("fill", "#ffffff");
    var stripe = document.createElementNS(SVG_NS, "rect");
    stripe.setAttribute("width", "4");
    stripe.setAttribute("height", "8");
    stripe.setAttribute("fill", NHS_RED);
    pattern.appendChild(background);
    pattern.appendChild(stripe);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  function showMessage(element, text) {
    var message = document.createElement("p");
    message.className = "cradle-map__message nhsuk-body-s";
    message.textContent = text;
    element.appendChild(message);
  }

  function failed(element) {
    element.setAttribute("data-map-ready", "error");
    showMessage(element, "The map could not be loaded. Every area is listed in the tables below.");
  }

  function initMap(element) {
    var url = element.getAttribute("data-foi-map-url");
    if (!url || element.getAttribute("data-map-initialised")) {
      return;
    }
    element.setAttribute("data-map-initialised", "true");
    var fallback = element.querySelector(".cradle-map__fallback");
    if (fallback) {
      fallback.remove();
    }

    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    map.setView([52.8, -1.5], 6);

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
            // A text node, not a string: Leaflet puts strings in as HTML.
            featureLayer.bindTooltip(document.createTextNode(tooltipText(props)), { sticky: true });
            if (props.url) {
              featureLayer.on("click", function () {
                window.location.assign(props.url);
              });
            }
            featureLayer.on("mouseover", function () {
              featureLayer.setStyle({ weight: 3 });
              featureLayer.bringToFront();
            });
            featureLayer.on("mouseout", function () {
              featureLayer.setStyle(styleFor(feature));
            });
          },
        }).addTo(map);

        addStripes(map.getPane("overlayPane").querySelector("svg"));
        var bounds = layer.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [12, 12] });
        }
        element.setAttribute("data-map-features", String(layer.getLayers().length));
        element.setAttribute("data-map-ready", "true");
      })
      .catch(function () {
        failed(element);
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

  function initAllMaps() {
    var elements = document.querySelectorAll("[data-foi-map-url]");
    if (!elements.length) {
      return;
    }
    function each(callback) {
      for (var i = 0; i < elements.length; i++) {
        callback(elements[i]);
      }
    }
    if (typeof L !== "undefined") {
      each(initMap);
    } else if (leafletBase) {
      loadLeaflet(
        function () {
          each(initMap);
        },
        function () {
          each(failed);
        }
      );
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAllMaps);
  } else {
    initAllMaps();
  }
})();
