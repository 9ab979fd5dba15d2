"""The names of scorecards' model permissions, each written once.

Views here check them; qa.roles gives them to roles and re-exports them, so every
module above this app names them through qa.roles (the layers let scorecards
import nothing of qa).
"""

VIEW_SCORECARD = "scorecards.view_scorecard"
CHANGE_SCORECARD = "scorecards.change_scorecard"
VIEW_SCORECARDVERSION = "scorecards.view_scorecardversion"
PUBLISH_SCORECARDVERSION = "scorecards.publish_scorecardversion"
VIEW_SECTION = "scorecards.view_section"
VIEW_ITEM = "scorecards.view_item"
