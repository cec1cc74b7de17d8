"""TNW-dossier: the Belgian return-to-work trajectory (Terug Naar Werk-traject)."""

__version__ = "0.1.0"
