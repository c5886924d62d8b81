"""The workshop room: a room of participants each running a council, year by year.

`room.Room` holds one game and `rooms` the open ones; `plans` turns a team's form into a
`scenario.Decision`; `dashboards` builds what its pages show; `league` measures each council;
`neighbourhood` reads a team's providers and community capacity; `debrief` compares the game
with its baseline and `report` renders that as a page.
"""
