"""Report screens: downloads and the team debrief, the hotwash, participant feedback."""
