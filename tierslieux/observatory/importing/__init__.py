"""Imports of a census into a network (pure: no ORM).

`reading` turns an uploaded file (the national census's CSV modules, our own open-data CSV,
a GoGoCarto JSON export) into numbered rows of text, or refuses it with the line and the
reason; `mapping` reads a source's mapping file (`observatory/mappings/*.toml`) and turns a
row into sheet values; `plan` compares the lines with the network's places and says, line by
line, what an import would do. `observatory.import_services` writes."""
