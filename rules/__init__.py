"""The built-in YAML rule packs, shipped inside the wheel as ``healthlint.packs``."""
