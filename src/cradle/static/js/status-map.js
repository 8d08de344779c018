// Maps that shade each area by a status, drawn with Leaflet on a plain background (no tile
// layer: Cradle runs without a tile server). Load with `defer` after
// templates/includes/map_scripts.html (Leaflet and area-map.js, which provides window.CradleMaps).
//
// Two kinds of element become maps of the GeoJSON they name, one feature per area, shaded by a
// property; each page's key says the same in words, and every area is also listed in a table on
// the page (the map is mouse-only):
//   data-coverage-map-url  the coverage map and the planning gap map, by properties.shade
//     (cradle.directory.coverage.map_key): "covered" solid NHS blue; "partly_covered" blue
//     stripes; "specialists" purple stripes the other way (not covered, CAMHS specialists
//     only); "not_covered" white
//   data-foi-map-url       an FOI report's acceptance map, by properties.status:
//     "accepts" solid NHS blue; "accepts-none" red stripes; "no-data" white
// Feature properties: name and status_in_words (tooltip), pct_covered (added to the tooltip when
// a number above 0 and the words do not already give the share), url (clicking an area goes
// there).
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var NHS_BLUE = "#005eb8";
  var NHS_DARK_BLUE = "#003087";
  var NHS_GREY_2 = "#768692";

  function solid() {
    return { color: NHS_DARK_BLUE, weight: 1, opacity: 1, fillColor: NHS_BLUE, fillOpacity: 0.85 };
  }
  function striped(pattern) {
    return { color: pattern.colour, weight: 1, opacity: 1, fillColor: "url(#" + pattern.id + ")",
             fillOpacity: 1 };
  }
  function blank() {
    return { color: NHS_GREY_2, weight: 1, opacity: 1, fillColor: "#ffffff", fillOpacity: 1 };
  }

  // Stripes leaning two ways, so partly covered and CAMHS-only areas differ without colour.
  var PARTLY = { id: "cradle-coverage-partly-stripes", colour: NHS_BLUE, angle: 45 };
  var SPECIALISTS = { id: "cradle-coverage-stripes", colour: "#330072", angle: -45 };
  var FOI_NONE = { id: "cradle-foi-stripes", colour: "#d5281b", angle: 45 };

  var KINDS = [
    {
      attribute: "data-coverage-map-url",
      property: "shade",
      stripes: [PARTLY, SPECIALISTS],
      styles: { covered: solid(), partly_covered: striped(PARTLY),
                specialists: striped(SPECIALISTS), not_covered: blank() },
      fallback: "not_covered",
      view: { centre: [54.5, -3], zoom: 5 },
    },
    {
      attribute: "data-foi-map-url",
      property: "status",
      stripes: [FOI_NONE],
      styles: { accepts: solid(), "accepts-none": striped(FOI_NONE), "no-data": blank() },
      fallback: "no-data",
      view: { centre: [52.8, -1.5], zoom: 6 },
    },
  ];

  function tooltipText(props) {
    var text = String(props.name || "");
    if (props.status_in_words) {
      text += ": " + props.status_in_words;
    }
    if (typeof props.pct_covered === "number" && props.pct_covered > 0 &&
        props.status !== "partly_covered") {
      text += " (" + props.pct_covered + "% of babies aged 0 to 2 covered)";
    }
    return text;
  }

  // Striped fills are SVG patterns inside Leaflet's own SVG element, which paths refer to as
  // fill="url(#...)".
  function addStripes(svg, stripes) {
    if (!svg) {
      return;
    }
    var defs = document.createElementNS(SVG_NS, "defs");
    stripes.forEach(function (spec) {
      if (document.getElementById(spec.id)) {
        return;
      }
      var pattern = document.createElementNS(SVG_NS, "pattern");
      pattern.setAttribute("id", spec.id);
      pattern.setAttribute("patternUnits", "userSpaceOnUse");
      pattern.setAttribute("width", "8");
      pattern.setAttribute("height", "8");
      pattern.setAttribute("patternTransform", "rotate(" + spec.angle + ")");
      var background = document.createElementNS(SVG_NS, "rect");
      background.setAttribute("width", "8");
      background.setAttribute("height", "8");
      background.setAttribute("fill", "#ffffff");
      var stripe = document.createElementNS(SVG_NS, "rect");
      stripe.setAttribute("width", "4");
      stripe.setAttribute("height", "8");
      stripe.setAttribute("fill", spec.colour);
      pattern.appendChild(background);
      pattern.appendChild(stripe);
      defs.appendChild(pattern);
    });
    if (defs.childNodes.length) {
      svg.insertBefore(defs, svg.firstChild);
    }
  }

  function failed(element) {
    element.setAttribute("data-map-ready", "error");
    window.CradleMaps.showMessage(
      element, "The map could not be loaded. Every area is listed on this page.");
  }

  function initMap(element, kind) {
    var url = element.getAttribute(kind.attribute);
    if (!url || element.getAttribute("data-map-initialised")) {
      return;
    }
    element.setAttribute("data-map-initialised", "true");
    var fallback = element.querySelector(".cradle-map__fallback");
    if (fallback) {
      fallback.remove();
    }
    function styleFor(feature) {
      var shade = (feature.properties || {})[kind.property];
      return kind.styles[shade] || kind.styles[kind.fallback];
    }

    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25,
                               scrollWheelZoom: false });
    map.setView(kind.view.centre, kind.view.zoom);

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
            featureLayer.bindTooltip(document.createTextNode(tooltipText(props)),
                                     { sticky: true });
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

        addStripes(map.getPane("overlayPane").querySelector("svg"), kind.stripes);
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

  function initAllMaps() {
    var maps = [];
    KINDS.forEach(function (kind) {
      var elements = document.querySelectorAll("[" + kind.attribute + "]");
      for (var i = 0; i < elements.length; i++) {
        maps.push([elements[i], kind]);
      }
    });
    if (!maps.length) {
      return;
    }
    function each(callback) {
      maps.forEach(function (pair) {
        callback(pair[0], pair[1]);
      });
    }
    if (typeof L !== "undefined") {
      each(initMap);
    } else {
      window.CradleMaps.loadLeaflet(function () { each(initMap); }, function () { each(failed); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAllMaps);
  } else {
    initAllMaps();
  }
})();
