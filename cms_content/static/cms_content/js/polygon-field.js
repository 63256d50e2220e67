// Polygon editor for a GeoJSON textarea (cms_content.widgets.PolygonMapWidget).
//
// A Stimulus controller, registered on Wagtail's own application the way wagtailgeowidget registers
// its Leaflet field: Wagtail 7 connects it whenever the textarea (data-controller="polygon-field")
// appears, on the snippet add and edit pages alike. Leaflet and leaflet-geoman are served by the
// project; no request leaves the server (tiles only when MAP_TILE_URL is configured).

class PolygonFieldController extends window.StimulusModule.Controller {
    static values = {
        tileUrl: { type: String, default: "" },
        tileAttribution: { type: String, default: "" },
        centre: { type: Array, default: [-45.5712, -72.0685] },
        zoom: { type: Number, default: 14 },
        outlines: { type: Array, default: [] },
        messages: { type: Object, default: {} },
    };

    connect() {
        this.mapElement = document.getElementById(this.element.id + "_map");
        this.statusElement = document.getElementById(this.element.id + "_status");
        if (!this.mapElement || this.map) {
            return;
        }
        this.layer = null;
        this.fitted = false;
        this.map = L.map(this.mapElement).setView(this.centreValue, this.zoomValue);
        if (this.tileUrlValue) {
            L.tileLayer(this.tileUrlValue, { maxZoom: 19, attribution: this.tileAttributionValue }).addTo(
                this.map
            );
        }
        this.addOutlines();
        this.addControls();

        const polygon = PolygonFieldController.parsePolygon(this.element.value);
        if (polygon) {
            this.showPolygon(polygon);
        }

        this.onInput = this.onInput.bind(this);
        this.element.addEventListener("input", this.onInput);

        // The map may be created while hidden (collapsed panel): size it again once it is shown.
        this.resizeObserver = new ResizeObserver(() => {
            this.map.invalidateSize();
            if (!this.fitted) {
                this.fitToLayer();
            }
        });
        this.resizeObserver.observe(this.mapElement);
    }

    disconnect() {
        this.element.removeEventListener("input", this.onInput);
        if (this.resizeObserver) {
            this.resizeObserver.disconnect();
        }
        if (this.map) {
            this.map.remove();
            this.map = null;
        }
    }

    addOutlines() {
        // Other polygons, faint and not editable, but snappable so shared edges meet exactly.
        this.outlinesValue.forEach((outline) => {
            const rings = PolygonFieldController.ringsOf(outline.geometry);
            if (!rings) {
                return;
            }
            const shape = L.polygon(rings, {
                color: "#5f6b7a",
                weight: 1,
                dashArray: "4 4",
                fillOpacity: 0.05,
                interactive: false,
                pmIgnore: true,
                snapIgnore: false,
            }).addTo(this.map);
            // A DOM node, not an HTML string: names are editor text.
            const label = document.createElement("span");
            label.textContent = outline.name;
            shape.bindTooltip(label, {
                permanent: true,
                direction: "center",
                className: "polygon-field__outline-label",
            });
        });
    }

    addControls() {
        // The admin's language (es, en); geoman falls back to English for one it lacks.
        this.map.pm.setLang((document.documentElement.lang || "es").split("-")[0]);
        this.map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: true });
        this.map.pm.addControls({
            position: "topleft",
            drawMarker: false,
            drawCircleMarker: false,
            drawPolyline: false,
            drawCircle: false,
            drawText: false,
            drawRectangle: true,
            drawPolygon: true,
            editMode: true,
            dragMode: true,
            cutPolygon: false,
            rotateMode: false,
            removalMode: true,
        });
        this.map.on("pm:create", (event) => {
            // One polygon per field: a new drawing replaces the previous one.
            if (this.layer && this.layer !== event.layer) {
                this.layer.remove();
            }
            this.useLayer(event.layer);
            this.writeLayer();
        });
        this.map.on("pm:remove", (event) => {
            if (event.layer === this.layer) {
                this.layer = null;
                this.writeValue("");
                this.announce(this.messagesValue.removed);
            }
        });
    }

    useLayer(layer) {
        this.layer = layer;
        layer.on("pm:edit pm:dragend", () => this.writeLayer());
    }

    showPolygon(polygon) {
        if (this.layer) {
            this.layer.remove();
        }
        this.useLayer(L.polygon(PolygonFieldController.ringsOf(polygon)).addTo(this.map));
        this.fitted = false;
        this.fitToLayer();
    }

    fitToLayer() {
        const size = this.map.getSize();
        if (!this.layer || size.x === 0 || size.y === 0) {
            return;
        }
        this.map.fitBounds(this.layer.getBounds(), { padding: [24, 24] });
        this.fitted = true;
    }

    writeLayer() {
        this.writeValue(JSON.stringify(this.layer.toGeoJSON().geometry));
        this.announce(this.messagesValue.drawn);
    }

    writeValue(text) {
        this.element.value = text;
        // Tell Wagtail's unsaved-changes tracking, without re-reading our own write as typing.
        this.writing = true;
        this.element.dispatchEvent(new Event("input", { bubbles: true }));
        this.element.dispatchEvent(new Event("change", { bubbles: true }));
        this.writing = false;
    }

    onInput() {
        if (this.writing) {
            return;
        }
        const text = this.element.value.trim();
        if (text === "") {
            if (this.layer) {
                this.layer.remove();
                this.layer = null;
            }
            this.announce("");
            return;
        }
        const polygon = PolygonFieldController.parsePolygon(text);
        if (!polygon) {
            this.announce(this.messagesValue.invalid);
            return;
        }
        this.announce("");
        this.showPolygon(polygon);
    }

    announce(message) {
        if (this.statusElement) {
            this.statusElement.textContent = message || "";
        }
    }

    // A GeoJSON Polygon object from text, or null; the server validates it again on save.
    static parsePolygon(text) {
        let value;
        try {
            value = JSON.parse(text);
        } catch (error) {
            return null;
        }
        return PolygonFieldController.ringsOf(value) ? value : null;
    }

    // Leaflet rings ([lat, lon]) of a GeoJSON Polygon ([lon, lat]), or null when it is not one.
    static ringsOf(geometry) {
        if (!geometry || geometry.type !== "Polygon" || !Array.isArray(geometry.coordinates)) {
            return null;
        }
        const rings = geometry.coordinates;
        const wellFormed =
            rings.length > 0 &&
            rings.every(
                (ring) =>
                    Array.isArray(ring) &&
                    ring.length >= 4 &&
                    ring.every(
                        (position) =>
                            Array.isArray(position) &&
                            position.length >= 2 &&
                            Number.isFinite(position[0]) &&
                            Number.isFinite(position[1])
                    )
            );
        if (!wellFormed) {
            return null;
        }
        return rings.map((ring) => ring.map((position) => [position[1], position[0]]));
    }
}

window.wagtail.app.register("polygon-field", PolygonFieldController);
