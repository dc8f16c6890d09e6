"""Kode sub kegiatan: format (Permendagri 90/2019) and parent prefixes."""
