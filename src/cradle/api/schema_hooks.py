"""drf-spectacular hooks: the document describes /api/v1/ only."""


def only_open_data_api(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")
            and not endpoint[0].startswith("/api/v1/schema")
            and "{format}" not in endpoint[0]]  # the .csv/.geojson suffixes: ?format= says it
