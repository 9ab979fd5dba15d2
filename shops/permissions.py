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
