"""The names of shops' model permissions, each written once.

Views here check them; qa.roles gives them to roles and re-exports them, so every
module above this app names them through qa.roles (the layers let shops import
nothing of qa).
"""

VIEW_REGION = "shops.view_region"
VIEW_LOCATION = "shops.view_location"
VIEW_EMPLOYEE = "shops.view_employee"
VIEW_SHOPPER = "shops.view_shopper"
VIEW_ASSIGNMENT = "shops.view_assignment"
ADD_ASSIGNMENT = "shops.add_assignment"
CHANGE_ASSIGNMENT = "shops.change_assignment"
MANAGE_PAYMENTS = "shops.manage_payments"
# Held by administrators (every shops permission): keeping places and people in step, on the admin
# pages or through the API's upserts by external id.
ADD_LOCATION = "shops.add_location"
CHANGE_LOCATION = "shops.change_location"
ADD_EMPLOYEE = "shops.add_employee"
CHANGE_EMPLOYEE = "shops.change_employee"
ADD_SHOPPER = "shops.add_shopper"
CHANGE_SHOPPER = "shops.change_shopper"
