"""Credits for the data jobkompas is built from, as their licences ask (about, reports)."""


def N_(text: str) -> str:  # marks a string for extraction; translated in sources_text
    return text


SOURCES = N_("""Sources (figures, codes and names; every sentence in jobkompas is our own):
- Includes information from the O*NET 29.0 Database by the U.S. Department of Labor,
  Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 licence.
  jobkompas derives and combines these figures (interest scores, work styles, job zones,
  education levels, related occupations); USDOL/ETA has not approved, endorsed or tested
  these modifications. O*NET® is a trademark of USDOL/ETA.
- Occupation groups STYRK-08: Statistisk sentralbyrå (SSB), STYRK-08 (Klass 7).
- Earnings in Norway: Statistisk sentralbyrå (SSB), tabell 11418 (NLOD), 2025.
- Occupation groups DISCO-08: Danmarks Statistik, DISCO-08.
- ISCO-08 group titles: ESCO, European Commission.
- SOC 2010 to ISCO-08 crosswalks: U.S. Bureau of Labor Statistics (public domain) and the
  Institute for Structural Research (IBS), Warsaw (Hardy, Keister & Lewandowski 2018).
Results support a conversation about choices; they must not be used to screen applicants.
Nothing leaves this machine: jobkompas makes no network connections.""")


def sources_text(language: str) -> str:
    """The credits in the report's language (the names of sources and licences stay as they are)."""
    from .i18n import translator

    return translator(language)(SOURCES)
