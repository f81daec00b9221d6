"""The follow-up cycle's rules, without storage: NAV's deltaker codes and their words
(:mod:`.kodeverk`), each agreement's frist rules as data (:mod:`.regelsett`) and the frister
they set and how far each has come (:mod:`.frister`), and the NAV-shaped files a deltaker list
is imported from (:mod:`.importformat`).

Pure functions on plain values: the use cases in :mod:`dokgen.services.deltakere` and
:mod:`dokgen.services.frister` store and read what these compute.
"""
